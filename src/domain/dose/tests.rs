//! The tests of `dose`.
#![allow(clippy::float_cmp)] // the amounts compared are exact decimal literals

use super::*;

#[test]
fn parses_the_ways_clinicians_write_doses() {
    let infusion = Dose::parse("0.5 mg/kg over 40 min").unwrap();
    assert_eq!(infusion.amount(), 0.5);
    assert_eq!(infusion.unit(), DoseUnit::MgPerKg);
    assert_eq!(infusion.infusion(), Some(Infusion { over_minutes: 40 }));
    assert_eq!(Dose::parse("56mg").unwrap().unit(), DoseUnit::Mg);
    assert_eq!(Dose::parse("0,75 mg per kg").unwrap().amount(), 0.75);
    assert_eq!(
        Dose::parse("35 MG over 40 minutes").unwrap().to_string(),
        "35 mg over 40 min"
    );
}

#[test]
fn refuses_negative_zero_nan_absurd_and_unknown_unit_doses_with_a_plain_message() {
    assert_eq!(Dose::parse("-1 mg"), Err(DoseError::NotPositive));
    assert_eq!(Dose::parse("0 mg/kg"), Err(DoseError::NotPositive));
    assert_eq!(
        Dose::new(f64::NAN, DoseUnit::Mg, None),
        Err(DoseError::NotANumber)
    );
    assert_eq!(Dose::parse("NaN mg"), Err(DoseError::NotANumber));
    assert_eq!(
        Dose::new(f64::INFINITY, DoseUnit::MgPerKg, None),
        Err(DoseError::AbsurdPerKg)
    );
    assert_eq!(Dose::parse("12 mg/kg"), Err(DoseError::AbsurdPerKg));
    assert_eq!(
        Dose::parse("5 ml"),
        Err(DoseError::UnknownUnit("ml".into()))
    );
    assert_eq!(Dose::parse("40"), Err(DoseError::MissingUnit));
    assert_eq!(
        Dose::parse("0.5 mg/kg over 0 min"),
        Err(DoseError::InfusionLength)
    );
    assert_eq!(
        Dose::parse("0.5 mg/kg over a while"),
        Err(DoseError::InfusionSyntax)
    );
    // 800 mg is a plausible lozenge dose on its own but not for a 50 kg client (16 mg/kg).
    let lozenge = Dose::parse("800 mg").unwrap();
    assert_eq!(
        lozenge.check_for_weight(Some(50.0)),
        Err(DoseError::AbsurdPerKg)
    );
    assert_eq!(
        Dose::parse("1 mg/kg").unwrap().check_for_weight(None),
        Err(DoseError::MissingWeight)
    );
    for error in [
        DoseError::NotPositive,
        DoseError::UnknownUnit("ml".into()),
        DoseError::AbsurdPerKg,
    ] {
        let message = error.to_string();
        assert!(
            message.ends_with('.') && message.chars().next().is_some_and(char::is_uppercase),
            "{message}"
        );
    }
}

#[test]
fn converts_between_mg_and_mg_per_kg() {
    let dose = Dose::parse("0.5 mg/kg over 40 min").unwrap();
    assert_eq!(dose.milligrams(Some(70.0)), Some(35.0));
    assert_eq!(
        dose.describe(Some(70.0)),
        "0.5 mg/kg over 40 min (35 mg at 70 kg)"
    );
    assert_eq!(
        Dose::parse("56 mg").unwrap().mg_per_kg(Some(80.0)),
        Some(0.7)
    );
}

#[test]
fn rates_are_typed_per_hour_and_an_infusion_has_its_rate() {
    let rate = Dose::parse("0.75 mg/kg/h").unwrap();
    assert_eq!(rate.delivery(), Delivery::PerHour);
    assert_eq!(rate.to_string(), "0.75 mg/kg/h");
    assert_eq!(
        rate.describe(Some(70.0)),
        "0.75 mg/kg/h (52.5 mg/h at 70 kg)"
    );
    assert_eq!(Dose::parse("52.5 mg / hr").unwrap().unit(), DoseUnit::Mg);
    assert_eq!(
        Dose::parse("0,6 mg/kg per hour").unwrap().per_hour_amount(),
        Some(0.6)
    );
    let infusion = Dose::parse("0.5 mg/kg over 40 min").unwrap();
    assert_eq!(infusion.per_hour_amount(), Some(0.75));
    assert_eq!(Dose::parse("56 mg").unwrap().per_hour_amount(), None);
    assert_eq!(Dose::parse("-1 mg/kg/h"), Err(DoseError::NotPositive));
    assert_eq!(Dose::parse("NaN mg/h"), Err(DoseError::NotANumber));
    assert_eq!(Dose::parse("11 mg/kg/h"), Err(DoseError::AbsurdRate));
    assert_eq!(
        Dose::parse("1 mg/kg/h over 40 min"),
        Err(DoseError::InfusionSyntax)
    );
    assert_eq!(Dose::parse("/h"), Err(DoseError::NotANumber));
}

#[test]
fn a_rate_above_the_clinic_ceiling_is_refused_with_both_figures() {
    let fast = Dose::parse("1 mg/kg over 10 min").unwrap();
    assert_eq!(
        fast.check_ceiling(Some(70.0), 3.0),
        Err(DoseError::AboveCeiling {
            rate: 6.0,
            ceiling: 3.0
        })
    );
    assert!(
        Dose::parse("0.5 mg/kg over 40 min")
            .unwrap()
            .check_ceiling(None, 3.0)
            .is_ok()
    );
    assert_eq!(
        Dose::parse("50 mg/h").unwrap().check_ceiling(None, 3.0),
        Err(DoseError::RateNeedsWeight)
    );
    assert!(
        Dose::parse("300 mg")
            .unwrap()
            .check_ceiling(None, 3.0)
            .is_ok()
    );
    assert_eq!(
        DoseError::AboveCeiling {
            rate: 6.0,
            ceiling: 3.0
        }
        .to_string(),
        "A rate of 6 mg/kg/h is above the clinic's ceiling of 3 mg/kg/h; check the amount and the minutes."
    );
}

#[test]
fn a_proposed_lower_dose_keeps_its_form_and_rounds_as_a_pump_is_set() {
    let infusion = Dose::parse("0.5 mg/kg over 40 min").unwrap();
    assert_eq!(
        infusion.scaled(0.75).unwrap().to_string(),
        "0.38 mg/kg over 40 min"
    );
    assert_eq!(
        Dose::parse("52.5 mg/h")
            .unwrap()
            .scaled(0.75)
            .unwrap()
            .to_string(),
        "39.4 mg/h"
    );
}

#[test]
fn deserialising_validates_like_typing() {
    let stored = serde_json::to_string(&Dose::parse("0.5 mg/kg over 40 min").unwrap()).unwrap();
    assert_eq!(stored, r#"{"amount":0.5,"unit":"mg/kg","over_minutes":40}"#);
    assert!(serde_json::from_str::<Dose>(r#"{"amount":-3,"unit":"mg"}"#).is_err());
    assert!(serde_json::from_str::<Dose>(r#"{"amount":3,"unit":"ml"}"#).is_err());
    let rate = serde_json::to_string(&Dose::parse("0.75 mg/kg/h").unwrap()).unwrap();
    assert_eq!(rate, r#"{"amount":0.75,"unit":"mg/kg","per_hour":true}"#);
    assert_eq!(
        serde_json::from_str::<Dose>(&rate).unwrap().to_string(),
        "0.75 mg/kg/h"
    );
    assert!(
        serde_json::from_str::<Dose>(
            r#"{"amount":1,"unit":"mg","over_minutes":40,"per_hour":true}"#
        )
        .is_err()
    );
}
