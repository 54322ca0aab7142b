//! The CloudFormation checks on random rendered text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    proton_playground::fuzzing::cfn_checks(data);
});
