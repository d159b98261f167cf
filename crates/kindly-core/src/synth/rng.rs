//! A tiny deterministic random number generator, so every render is byte-identical.

/// SplitMix64: one add and a few multiplies per number, good enough statistics
/// for noise and jitter, and fully reproducible from a seed.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// The generator positioned `index` numbers into the stream of `seed`, so
    /// any sample of a noise can be had without computing those before it.
    pub(crate) fn at(seed: u64, index: u64) -> Rng {
        Rng {
            state: seed.wrapping_add(index.wrapping_mul(GAMMA)),
        }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits so every value is exact in f64.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [-1, 1).
    pub(crate) fn bipolar(&mut self) -> f64 {
        self.unit() * 2.0 - 1.0
    }

    /// Uniform in [lo, hi).
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Roughly Gaussian (sum of four uniforms): cheap, bounded, and smooth
    /// enough that filtered noise has no hard edges in its distribution.
    pub(crate) fn gauss(&mut self) -> f64 {
        // Four uniforms in [-1, 1) have variance 4/3; scale to unit variance.
        (self.bipolar() + self.bipolar() + self.bipolar() + self.bipolar())
            * 0.866_025_403_784_438_6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_reference_values() {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn at_jumps_into_the_stream() {
        let mut r = Rng::new(5);
        let third = [r.next_u64(), r.next_u64(), r.next_u64()][2];
        assert_eq!(Rng::at(5, 2).next_u64(), third);
    }

    #[test]
    fn unit_stays_in_range_and_is_reproducible() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..1000 {
            let x = a.unit();
            assert!((0.0..1.0).contains(&x));
            assert_eq!(x.to_bits(), b.unit().to_bits());
        }
    }

    #[test]
    fn gauss_has_unit_variance_roughly() {
        let mut r = Rng::new(7);
        let n = 20_000;
        let var = (0..n).map(|_| r.gauss().powi(2)).sum::<f64>() / n as f64;
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }
}
