//! Planners' queries: which units a proposed volume hits, by how much and at which depth, and
//! which lie within a clearance distance of it.
