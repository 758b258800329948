//! What can be asked of a volume: one capability per module, re-exported flat.
