use proton_playground::render::{RenderOptions, Renderer, UndefinedMode};
use std::sync::Arc;
#[test]
fn probe() {
    let list = std::fs::read_to_string("/tmp/probe/templates.txt").unwrap();
    let ctx = proton_playground::context::to_template_value(
        &serde_json::json!({"environment": {"inputs": {"a": 1}}, "size_mb": 3}),
    );
    let options = RenderOptions {
        undefined: UndefinedMode::Strict,
        ..Default::default()
    };
    let r = Renderer::new(Arc::new(Default::default()), &options);
    for t in list.lines() {
        match r.render_str("t", t, &ctx) {
            Ok(s) => println!("{t:?} -> {s:?}"),
            Err(e) => println!("{t:?} -> ERR {}", e.message),
        }
    }
}
