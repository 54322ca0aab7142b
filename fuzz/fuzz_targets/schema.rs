//! schema.yaml: parsing, $ref expansion, pattern compilation and default validation.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    proton_playground::fuzzing::schema(data);
});
