//! What the benches share: deterministic data, no RNG crate needed.

/// A deterministic pseudo-random vector of `dim` floats in [-1, 1)
/// (xorshift seeded by `seed`).
pub fn vector(seed: u64, dim: usize) -> Vec<f32> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..dim)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 2000) as f32 / 1000.0 - 1.0
        })
        .collect()
}

/// The tenant every bench reads as.
pub const TENANT: &str = "t";

/// One tenant [`TENANT`] (key `tenant_key`, read and write) on a payload-shared
/// `collection`: the policy every bench reads as a tenant through.
pub fn tenant_policy(config: &mut ragwall::config::Config, collection: &str, tenant_key: &str) {
    let policy = format!(
        "[collections.{collection}]\ntenancy = \"payload\"\n[[tenants]]\nid = \"{TENANT}\"\ngrants = {{ {collection} = [\"read\", \"write\"] }}\nkeys = [{{ id = \"t\", hash = \"{}\", scopes = [\"read\", \"write\"] }}]\n",
        ragwall::auth::key_hash(tenant_key)
    );
    let declared: ragwall::config::Config = toml::from_str(&policy).unwrap();
    config.tenants = declared.tenants;
    config.collections = declared.collections;
}
