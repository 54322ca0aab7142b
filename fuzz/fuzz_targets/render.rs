//! The renderer: random templates over a fixed Proton context.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    proton_playground::fuzzing::render(data);
});
