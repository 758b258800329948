//! Parties (权利人) and how they hold a right together (共有情况).

use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of party (LA_Party type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A natural person (自然人).
    Person,
    /// A company or other legal person (企业法人).
    Company,
    /// A government body or public institution (机关、事业单位).
    Government,
}

impl PartyKind {
    /// `person`, `company`, `government`.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Person => "person",
            PartyKind::Company => "company",
            PartyKind::Government => "government",
        }
    }

    /// 自然人, 企业法人, 机关事业单位.
    pub fn name_zh(self) -> &'static str {
        match self {
            PartyKind::Person => "自然人",
            PartyKind::Company => "企业法人",
            PartyKind::Government => "机关事业单位",
        }
    }

    /// Reads the English or Chinese name.
    pub fn parse(s: &str) -> Option<PartyKind> {
        [PartyKind::Person, PartyKind::Company, PartyKind::Government]
            .into_iter()
            .find(|k| s.eq_ignore_ascii_case(k.as_str()) || s == k.name_zh())
    }
}

/// A party: who holds, mortgages or seizes rights. Identified by its identifier (证件号: the
/// unified social credit code of an organisation, the ID number of a person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// The identifier (证件号), unique in the register.
    pub id: String,
    /// The name (名称 / 姓名).
    pub name: String,
    /// Person, company or government body.
    pub kind: PartyKind,
}

/// A share of a right held in shares (按份共有), as an exact fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// Numerator.
    pub num: u32,
    /// Denominator, not zero.
    pub den: u32,
}

impl Share {
    /// Reads `1/3`, `50%` or `0.25` (a decimal with at most 6 places).
    pub fn parse(s: &str) -> Option<Share> {
        let t = s.trim();
        if let Some((n, d)) = t.split_once('/') {
            let (num, den) = (n.trim().parse().ok()?, d.trim().parse().ok()?);
            return (den > 0).then_some(Share { num, den });
        }
        let (t, scale) = match t.strip_suffix('%') {
            Some(p) => (p.trim(), 100u64),
            None => (t, 1),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if frac.len() > 6 || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let den = 10u64.pow(frac.len() as u32) * scale;
        let num: u64 = format!("{int}{frac}").parse().ok()?;
        let g = gcd(u128::from(num), u128::from(den)) as u64;
        Some(Share {
            num: u32::try_from(num / g).ok()?,
            den: u32::try_from(den / g).ok()?,
        })
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// How a right is held (共有情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    /// One holder (单独所有).
    Sole,
    /// Several holders together, without shares (共同共有).
    Joint,
    /// Several holders in shares that add up to one (按份共有).
    InShares,
}

impl Sharing {
    /// `sole`, `joint`, `in_shares`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sharing::Sole => "sole",
            Sharing::Joint => "joint",
            Sharing::InShares => "in_shares",
        }
    }

    /// 单独所有, 共同共有, 按份共有.
    pub fn name_zh(self) -> &'static str {
        match self {
            Sharing::Sole => "单独所有",
            Sharing::Joint => "共同共有",
            Sharing::InShares => "按份共有",
        }
    }

    /// Reads the English or Chinese name.
    pub fn parse(s: &str) -> Option<Sharing> {
        [Sharing::Sole, Sharing::Joint, Sharing::InShares]
            .into_iter()
            .find(|k| s.eq_ignore_ascii_case(k.as_str()) || s == k.name_zh())
    }
}

/// One holder of a right and its share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    /// The party's identifier.
    pub party: String,
    /// Its share, for a right held in shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Share>,
}

/// The holders of a right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holders {
    /// How they hold it.
    pub sharing: Sharing,
    /// Who, in the order given.
    pub holdings: Vec<Holding>,
}

impl Holders {
    /// One holder alone.
    pub fn sole(party: &str) -> Holders {
        Holders {
            sharing: Sharing::Sole,
            holdings: vec![Holding {
                party: party.to_string(),
                share: None,
            }],
        }
    }

    /// The parties' identifiers.
    pub fn parties(&self) -> impl Iterator<Item = &str> {
        self.holdings.iter().map(|h| h.party.as_str())
    }

    /// What is wrong with the holders, if anything: a sole right has one holder; joint and
    /// shared rights have two or more, different; shares are given exactly for rights held in
    /// shares and add up to exactly one.
    pub fn problem(&self) -> Option<String> {
        let n = self.holdings.len();
        let mut ids: Vec<&str> = self.parties().collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != n {
            return Some("a party is named twice among the holders".into());
        }
        if ids.iter().any(|i| i.trim().is_empty()) {
            return Some("a holder has no identifier".into());
        }
        let shares = self.holdings.iter().filter(|h| h.share.is_some()).count();
        match self.sharing {
            Sharing::Sole if n != 1 => {
                return Some(format!("单独所有 (sole) needs one holder, found {n}"));
            }
            Sharing::Joint | Sharing::InShares if n < 2 => {
                return Some(format!(
                    "{} ({}) needs two or more holders, found {n}",
                    self.sharing.name_zh(),
                    self.sharing.as_str()
                ));
            }
            _ => {}
        }
        if self.sharing != Sharing::InShares {
            return (shares > 0).then(|| {
                format!(
                    "shares are given only for 按份共有 (in_shares), not {}",
                    self.sharing.as_str()
                )
            });
        }
        if shares != n {
            return Some("按份共有 (in_shares) needs a share for every holder".into());
        }
        // Sum of num/den exactly, as u128 fractions (denominators are u32).
        let (mut num, mut den) = (0u128, 1u128);
        for h in &self.holdings {
            let s = h.share?;
            if s.num == 0 {
                return Some(format!("the share of {} is zero", h.party));
            }
            if s.den == 0 {
                return Some(format!("the share of {} has a zero denominator", h.party));
            }
            let (d, n) = (u128::from(s.den), u128::from(s.num));
            let sum = num
                .checked_mul(d)
                .zip(n.checked_mul(den))
                .and_then(|(a, b)| a.checked_add(b))
                .zip(den.checked_mul(d));
            let Some((n2, d2)) = sum else {
                return Some("the shares are too fine to add up exactly".into());
            };
            let g = gcd(n2, d2);
            (num, den) = (n2 / g, d2 / g);
        }
        (num != den).then(|| format!("the shares add up to {num}/{den}, not 1"))
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(shares: &[&str]) -> Holders {
        Holders {
            sharing: Sharing::InShares,
            holdings: shares
                .iter()
                .enumerate()
                .map(|(i, s)| Holding {
                    party: format!("p{i}"),
                    share: Share::parse(s),
                })
                .collect(),
        }
    }

    #[test]
    fn shares_must_add_up_to_exactly_one() {
        assert_eq!(shared(&["1/3", "1/3", "1/3"]).problem(), None);
        assert_eq!(shared(&["50%", "0.25", "1/4"]).problem(), None);
        assert_eq!(
            shared(&["0.333333", "0.333333", "0.333334"]).problem(),
            None,
            "decimals are exact"
        );
        assert_eq!(
            shared(&["1/3", "1/3", "0.333333"]).problem().as_deref(),
            Some("the shares add up to 2999999/3000000, not 1")
        );
        assert!(shared(&["1/2"]).problem().is_some());
        assert!(Share::parse("1/0").is_none());
        assert!(Share::parse("-1/2").is_none());
    }

    #[test]
    fn shares_from_a_file_with_a_zero_or_enormous_denominator_are_refused_not_a_panic() {
        let mut h = shared(&["1/2", "1/2"]);
        h.holdings[1].share = Some(Share { num: 1, den: 0 });
        assert_eq!(
            h.problem().as_deref(),
            Some("the share of p1 has a zero denominator")
        );
        // Five large primes: the exact sum's denominator passes 2^128.
        let primes = [
            4294967291u32,
            4294967279,
            4294967231,
            4294967197,
            4294967189,
        ];
        let mut h = shared(&["1/5"; 5]);
        for (x, p) in h.holdings.iter_mut().zip(primes) {
            x.share = Some(Share { num: 1, den: p });
        }
        assert_eq!(
            h.problem().as_deref(),
            Some("the shares are too fine to add up exactly")
        );
    }

    #[test]
    fn sole_and_joint_holders() {
        assert_eq!(Holders::sole("91110000X").problem(), None);
        let mut two = Holders::sole("a");
        two.holdings.push(Holding {
            party: "b".into(),
            share: None,
        });
        assert!(two.problem().is_some(), "sole with two holders");
        two.sharing = Sharing::Joint;
        assert_eq!(two.problem(), None);
        two.holdings[1].party = "a".into();
        assert!(two.problem().is_some(), "the same party twice");
    }
}
