//! Every input that once crashed or hung a fuzz target (`fuzz/regressions/<target>/`), replayed
//! through the same entry point (`proton_playground::fuzzing`). `make fuzz` finds new ones.

use std::path::Path;

#[test]
fn every_past_fuzz_finding_returns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    type Entry = fn(&[u8]);
    let targets: [(&str, Entry); 6] = [
        ("archive", proton_playground::fuzzing::archive),
        ("tar", proton_playground::fuzzing::tar),
        ("schema", proton_playground::fuzzing::schema),
        ("inputs", proton_playground::fuzzing::inputs),
        ("render", proton_playground::fuzzing::render),
        ("cfn_checks", proton_playground::fuzzing::cfn_checks),
    ];
    let mut replayed = 0;
    for (target, entry) in targets {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for file in dir {
            let path = file.unwrap().path();
            entry(&std::fs::read(&path).unwrap());
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no regression inputs under {}",
        root.display()
    );
}
