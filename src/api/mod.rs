//! Protocol adapters. Each translates its wire format into the pipeline's
//! protocol-neutral operations and back; adapters never call each other.

pub mod body;
pub mod grpc;
pub mod rest;
