//! The three surfaces: office (desktop), station (tablet at a machine), board (wall screen).

pub mod board;
pub mod office;
pub mod station;
