//! One module per command: its arguments and its run, over the core.

pub mod adopt;
pub mod check;
pub mod compare;
pub mod export;
pub mod fleet;
pub mod lsp;
pub mod migrate;
pub mod render;
