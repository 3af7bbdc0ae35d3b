//! The render differential suite: charts under testdata/charts/render rendered by the real
//! `helm template` and by `helmsync template`, compared document by document and as text.
pub mod cases;
pub mod compare;
pub mod documents;
pub mod errors;
pub mod known;
pub mod masks;
pub mod pem_shape;
pub mod run;
pub mod text_diff;
