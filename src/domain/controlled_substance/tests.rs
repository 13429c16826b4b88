//! The controlled-substance log's rules: lots, amounts, movements and running balances.
use super::*;

fn entry(movement: Movement, mg: f64, note: &str) -> NewSubstanceEntry {
    NewSubstanceEntry {
        lot: LotCode::parse("KX-2611A").unwrap(),
        substance: Substance::Ketamine,
        movement,
        amount: Micrograms((mg * 1000.0) as i64),
        note: note.to_owned(),
    }
}

#[test]
fn amounts_are_milligrams_kept_to_the_microgram() {
    assert_eq!(Micrograms::parse_mg("500").unwrap(), Micrograms(500_000));
    assert_eq!(Micrograms::parse_mg("12,5 mg").unwrap(), Micrograms(12_500));
    assert_eq!(
        Micrograms::parse_mg("0.001").unwrap().describe(),
        "0.001 mg"
    );
    assert_eq!(Micrograms(12_500).describe(), "12.5 mg");
    assert_eq!(Micrograms(-3_000).describe(), "-3 mg");
    assert_eq!(
        Micrograms::parse_signed_mg(" -20 ").unwrap(),
        Micrograms(-20_000)
    );
    assert_eq!(
        Micrograms::parse_signed_mg("+1.5").unwrap(),
        Micrograms(1_500)
    );
    assert_eq!(
        Micrograms::parse_signed_mg("--2"),
        Err(SubstanceLogError::Amount)
    );
    for bad in ["0", "-5", "", "lots", "0.0004", "100001000", "NaN", "inf"] {
        assert_eq!(
            Micrograms::parse_mg(bad),
            Err(SubstanceLogError::Amount),
            "{bad}"
        );
    }
}

#[test]
fn lot_numbers_are_what_a_label_prints() {
    assert_eq!(
        LotCode::parse(" 24B17-03/A ").unwrap().as_str(),
        "24B17-03/A"
    );
    for bad in ["", "a b", "lot;drop", &"x".repeat(41), "ß12"] {
        assert_eq!(LotCode::parse(bad), Err(SubstanceLogError::Lot), "{bad:?}");
    }
}

#[test]
fn waste_needs_a_witness_and_a_correction_a_reason() {
    let waste = |witness: &str| {
        entry(
            Movement::Wasted {
                witness: witness.into(),
            },
            2.0,
            "",
        )
    };
    assert_eq!(waste(" ").check(), Err(SubstanceLogError::Witness));
    assert_eq!(waste("R. Okafor, RN").check(), Ok(()));
    assert_eq!(
        entry(Movement::Correction, -20.0, "").check(),
        Err(SubstanceLogError::CorrectionReason)
    );
    assert_eq!(
        entry(Movement::Correction, -20.0, "count found 480 mg").check(),
        Ok(())
    );
    assert_eq!(
        entry(Movement::Received, -1.0, "").check(),
        Err(SubstanceLogError::Amount)
    );
}

#[test]
fn the_balance_never_goes_below_nothing_by_waste_or_correction() {
    let before = Micrograms(10_000);
    let waste = entry(
        Movement::Wasted {
            witness: "A. Lee".into(),
        },
        12.0,
        "",
    );
    assert_eq!(
        waste.balance_after(before),
        Err(SubstanceLogError::BelowZero {
            balance: "10 mg".into()
        })
    );
    let given = entry(
        Movement::Administered {
            session: SessionId(4),
        },
        12.0,
        "",
    );
    assert_eq!(
        given.balance_after(before),
        Ok(Micrograms(-2_000)),
        "a session always ends"
    );
    let fix = entry(Movement::Correction, -4.0, "recount");
    assert_eq!(fix.balance_after(before), Ok(Micrograms(6_000)));
    assert_eq!(
        running_balance([Micrograms(500_000), Micrograms(-35_000), Micrograms(-2_500)]),
        [
            Micrograms(500_000),
            Micrograms(465_000),
            Micrograms(462_500)
        ]
    );
}

#[test]
fn a_route_gives_its_substance() {
    assert_eq!(
        Substance::of_route(Route::IntranasalEsketamine),
        Substance::Esketamine
    );
    assert_eq!(Substance::of_route(Route::IvInfusion), Substance::Ketamine);
    assert_eq!(Substance::parse(" Esketamine "), Ok(Substance::Esketamine));
    assert_eq!(
        Substance::parse("ketamin"),
        Err(SubstanceLogError::Substance)
    );
}
