//! The archive loader (tar.gz and zip) and the workspace analysis behind it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    proton_playground::fuzzing::archive(data);
});
