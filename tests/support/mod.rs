#![allow(dead_code)]
pub mod val3dity_formats;
