//! Schema and spec parsing, then validation and a render with the result.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    proton_playground::fuzzing::inputs(data);
});
