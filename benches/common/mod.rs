//! What the register's benches share: fresh schema names and a mortgage act.

use jiff::Timestamp;
use strata::register::act::{Act, ActBody};
use strata::register::party::{Party, PartyKind};
use strata::register::record::{Source, SourceKind, Term};

/// A schema name no other run uses.
pub fn schema(tag: &str) -> String {
    format!(
        "bench_{tag}_{}_{}",
        std::process::id(),
        Timestamp::now().as_microsecond()
    )
}

/// A mortgage of `unit` with a business number and loan document of its own.
pub fn mortgage(n: u64, unit: &str) -> Act {
    let bank = Party {
        id: "91110000MA0BANK000".into(),
        name: "银行".into(),
        kind: PartyKind::Company,
    };
    Act {
        number: format!("M{n}-{}", Timestamp::now().as_nanosecond()),
        reason: "抵押".into(),
        officer: "登簿人".into(),
        parties: vec![],
        sources: vec![Source {
            id: format!("loan-{n}-{}", Timestamp::now().as_nanosecond()),
            kind: SourceKind::Application,
            title: None,
            date: None,
            issuer: None,
        }],
        note: None,
        body: ActBody::Mortgage {
            unit: unit.into(),
            mortgagee: bank,
            amount: 1.0e6,
            maximum: false,
            debt_term: Term::default(),
        },
    }
}
