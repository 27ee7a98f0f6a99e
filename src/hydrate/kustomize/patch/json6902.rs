//! JSON 6902 patches (RFC 6902 operations on a resource).
