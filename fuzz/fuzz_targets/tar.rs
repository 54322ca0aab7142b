//! Uncompressed tar streams: headers, long names, PAX records and links within the budgets.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    proton_playground::fuzzing::tar(data);
});
