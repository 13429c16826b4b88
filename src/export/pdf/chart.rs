//! The dose-over-time chart, drawn as vector graphics: the dose as steps, decision points as dots,
//! "sit with it" deferrals as shaded spans coloured by outcome, with axes, ticks and a legend.

use super::fonts::Weight;
use super::layout::{CONTENT_WIDTH, Layout, MARGIN, MUTED, Op, Rgb, Style};
use crate::domain::{DeferralOutcome, TreatmentModel};
use crate::palette;
use crate::review::DoseCurve;

const PLOT_HEIGHT: f32 = 120.0;
/// Room left of the plot for the dose ticks.
const AXIS_GUTTER: f32 = 40.0;
const DOSE_LINE: Rgb = palette::DOSE;
const GRID: Rgb = Rgb(215, 215, 215);

/// Where the plot sits on the page and what its axes span.
struct Frame {
    left: f32,
    width: f32,
    top: f32,
    bottom: f32,
    x_max: f64,
    y_max: f64,
}

impl Frame {
    fn x(&self, minutes: f64) -> f32 {
        self.left + (minutes / self.x_max) as f32 * self.width
    }

    fn y(&self, dose: f64) -> f32 {
        self.bottom - (dose / self.y_max) as f32 * PLOT_HEIGHT
    }
}

const SMALL: Style = Style {
    weight: Weight::Regular,
    size: 7.5,
    color: MUTED,
};

/// Draws the chart at the cursor (on a new page if it does not fit).
pub fn draw(layout: &mut Layout<'_>, curve: &DoseCurve, model: TreatmentModel) {
    layout.ensure(PLOT_HEIGHT + 50.0);
    let top = layout.y + 6.0;
    let frame = Frame {
        left: MARGIN + AXIS_GUTTER,
        width: CONTENT_WIDTH - AXIS_GUTTER - 6.0,
        top,
        bottom: top + PLOT_HEIGHT,
        x_max: curve
            .steps
            .iter()
            .chain(&curve.decisions)
            .map(|point| point[0])
            .chain(curve.deferrals.iter().map(|span| span.end_min))
            .fold(1.0_f64, f64::max),
        y_max: round_top(
            curve
                .steps
                .iter()
                .map(|point| point[1])
                .fold(0.0_f64, f64::max),
        ),
    };
    layout.push(Op::BeginFigure {
        alt: curve.describe(),
    });
    grid(layout, &frame);
    data(layout, &frame, curve, model);
    layout.push(Op::Line {
        points: vec![
            (frame.left, frame.top),
            (frame.left, frame.bottom),
            (frame.left + frame.width, frame.bottom),
        ],
        width: 0.8,
        color: MUTED,
        dashed: false,
    });
    text(layout, MARGIN, frame.top - 1.0, curve.unit, SMALL);
    text(
        layout,
        frame.left + frame.width - 70.0,
        frame.bottom + 20.0,
        "minutes since start",
        SMALL,
    );
    layout.y = frame.bottom + 26.0;
    legend(layout, curve, model);
    layout.push(Op::EndFigure);
}

/// Grid lines with their minutes and doses.
fn grid(layout: &mut Layout<'_>, frame: &Frame) {
    let step = tick_step(frame.x_max);
    let mut tick = 0.0;
    while tick <= frame.x_max + 1e-9 {
        layout.push(Op::Line {
            points: vec![(frame.x(tick), frame.top), (frame.x(tick), frame.bottom)],
            width: 0.4,
            color: GRID,
            dashed: false,
        });
        let label = format!("{tick:.0}");
        let label_width = layout.fonts.width(&label, SMALL.weight, SMALL.size);
        text(
            layout,
            frame.x(tick) - label_width / 2.0,
            frame.bottom + 10.0,
            &label,
            SMALL,
        );
        tick += step;
    }
    let step = round_step(frame.y_max, 4.0);
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    let ticks = (frame.y_max / step).round() as u32;
    for tick in 0..=ticks {
        let dose = step * f64::from(tick);
        layout.push(Op::Line {
            points: vec![
                (frame.left, frame.y(dose)),
                (frame.left + frame.width, frame.y(dose)),
            ],
            width: 0.4,
            color: GRID,
            dashed: false,
        });
        let label = format!("{dose:.decimals$}");
        let label_width = layout.fonts.width(&label, SMALL.weight, SMALL.size);
        text(
            layout,
            frame.left - 4.0 - label_width,
            frame.y(dose) + 2.5,
            &label,
            SMALL,
        );
    }
}

/// Deferral spans, the dose line and the decision points.
fn data(layout: &mut Layout<'_>, frame: &Frame, curve: &DoseCurve, model: TreatmentModel) {
    for span in &curve.deferrals {
        let start = frame.x(span.start_min);
        layout.push(Op::Rect {
            x: start,
            y: frame.top,
            width: (frame.x(span.end_min) - start).max(1.5),
            height: PLOT_HEIGHT,
            color: palette::outcome(span.outcome),
            opacity: 0.25,
        });
    }
    if curve.steps.len() > 1 {
        layout.push(Op::Line {
            points: curve
                .steps
                .iter()
                .map(|p| (frame.x(p[0]), frame.y(p[1])))
                .collect(),
            width: 1.6,
            color: DOSE_LINE,
            dashed: false,
        });
    }
    for point in &curve.decisions {
        layout.push(Op::Dot {
            x: frame.x(point[0]),
            y: frame.y(point[1]),
            radius: 2.8,
            color: palette::model(model),
        });
    }
}

fn text(layout: &mut Layout<'_>, x: f32, y: f32, text: &str, style: Style) {
    layout.push(Op::Text {
        x,
        y,
        weight: style.weight,
        size: style.size,
        color: style.color,
        text: text.to_owned(),
    });
}

/// A row of swatches naming what the chart shows.
fn legend(layout: &mut Layout<'_>, curve: &DoseCurve, model: TreatmentModel) {
    let mut entries = vec![
        ("Dose".to_owned(), DOSE_LINE),
        ("Decision point".to_owned(), palette::model(model)),
    ];
    for outcome in DeferralOutcome::ALL.map(Some).into_iter().chain([None]) {
        if curve.deferrals.iter().any(|span| span.outcome == outcome) {
            let name = outcome.map_or("no outcome yet", DeferralOutcome::label);
            entries.push((format!("Sit with it: {name}"), palette::outcome(outcome)));
        }
    }
    let style = SMALL;
    let mut x = MARGIN + AXIS_GUTTER;
    let y = layout.y + 8.0;
    for (name, color) in entries {
        let width = layout.fonts.width(&name, style.weight, style.size);
        if x + 12.0 + width > MARGIN + CONTENT_WIDTH {
            break;
        }
        layout.push(Op::Rect {
            x,
            y: y - 6.5,
            width: 8.0,
            height: 7.0,
            color,
            opacity: 0.8,
        });
        text(layout, x + 11.0, y, &name, style);
        x += 11.0 + width + 12.0;
    }
    layout.y = y + 10.0;
}

/// A round number of minutes between ticks, so that an axis has at most about ten.
/// A round step (1, 2 or 5 times a power of ten) that splits `span` into at most `parts` parts.
fn round_step(span: f64, parts: f64) -> f64 {
    let raw = (span / parts).max(1e-6);
    let power = 10_f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|multiple| multiple * power)
        .find(|step| *step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}

/// The top of the value axis: the first round tick at or above the highest value.
fn round_top(highest: f64) -> f64 {
    let highest = highest.max(1e-6);
    let step = round_step(highest, 4.0);
    (highest / step).ceil().max(1.0) * step
}

fn tick_step(x_max: f64) -> f64 {
    [1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0]
        .into_iter()
        .find(|step| x_max / step <= 10.0)
        .unwrap_or(240.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_ticks_fall_on_round_numbers() {
        // 117 mg/h at the top: ticks of 50 up to 150, not 29, 58, 88, 117.
        assert!((round_step(117.0, 4.0) - 50.0).abs() < 1e-9);
        assert!((round_top(117.0) - 150.0).abs() < 1e-9);
        assert!((round_top(0.75) - 0.8).abs() < 1e-9);
        assert!((round_step(0.8, 4.0) - 0.2).abs() < 1e-9);
        assert!((round_top(52.5) - 60.0).abs() < 1e-9);
        assert!((round_top(0.0) - round_step(1e-6, 4.0)).abs() < 1e-12);
    }
}
