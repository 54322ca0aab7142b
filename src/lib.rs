//! Proton Playground core: load an AWS Proton template bundle, validate its inputs, build
//! Proton's rendering context and render it byte for byte as Proton (CPython Jinja2) did.
//!
//! The data path is one line — bundle → schema → inputs → context → render → checks → report —
//! and so is the module list below.

pub mod diagnostic;
pub mod render;
pub mod yaml;
