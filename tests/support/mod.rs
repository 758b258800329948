#![allow(dead_code)]
pub mod register;
pub mod val3dity_formats;
