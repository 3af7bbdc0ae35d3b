//! The registrations of Helm's number functions: arithmetic, conversions, dates,
//! durations and semver.
use crate::template::GoType;
use crate::value::Value;

use super::register::{ANY, B, DURATION, F, I, I64, INTS, Registry, S, i, s, string};
use super::{dates, durations, numbers, reflect, semver};

pub(super) fn register_numbers(r: &mut Registry) {
    r.add("atoi", &[S], I, |a| Value::int(numbers::atoi(s(&a[0]))));
    r.add("int64", &[ANY], I64, |a| numbers::int64(&a[0]));
    r.add("int", &[ANY], I, |a| numbers::int(&a[0]));
    r.add("float64", &[ANY], F, |a| {
        Value::Float(numbers::float64(&a[0]))
    });
    r.variadic("seq", &[], I, S, |a| {
        numbers::seq(&a.iter().map(i).collect::<Vec<_>>()).map(string)
    });
    r.add("toDecimal", &[ANY], I64, |a| numbers::to_decimal(&a[0]));
    r.try_add("until", &[I], INTS, |a| numbers::until(i(&a[0])));
    r.try_add("untilStep", &[I, I, I], INTS, |a| {
        numbers::until_step(i(&a[0]), i(&a[1]), i(&a[2]))
    });
    r.add("add1", &[ANY], I64, |a| numbers::add1(&a[0]));
    r.variadic("add", &[], ANY, I64, |a| Ok(numbers::add(a)));
    r.add("sub", &[ANY, ANY], I64, |a| numbers::sub(&a[0], &a[1]));
    r.try_add("div", &[ANY, ANY], I64, |a| numbers::div(&a[0], &a[1]));
    r.try_add("mod", &[ANY, ANY], I64, |a| numbers::modulo(&a[0], &a[1]));
    r.variadic("mul", &[ANY], ANY, I64, |a| {
        Ok(numbers::mul(&a[0], &a[1..]))
    });
    r.variadic("max", &[ANY], ANY, I64, |a| {
        Ok(numbers::max(&a[0], &a[1..]))
    });
    r.alias("biggest", "max");
    r.variadic("min", &[ANY], ANY, I64, |a| {
        Ok(numbers::min(&a[0], &a[1..]))
    });
    r.variadic("maxf", &[ANY], ANY, F, |a| {
        Ok(Value::Float(numbers::maxf(&a[0], &a[1..])))
    });
    r.variadic("minf", &[ANY], ANY, F, |a| {
        Ok(Value::Float(numbers::minf(&a[0], &a[1..])))
    });
    r.add("ceil", &[ANY], F, |a| Value::Float(numbers::ceil(&a[0])));
    r.add("floor", &[ANY], F, |a| Value::Float(numbers::floor(&a[0])));
    r.variadic("round", &[ANY, I], F, F, |a| {
        let round_on: Vec<f64> = a[2..]
            .iter()
            .map(|v| if let Value::Float(f) = v { *f } else { 0.0 })
            .collect();
        Ok(Value::Float(numbers::round(&a[0], i(&a[1]), &round_on)))
    });
    r.try_add("add1f", &[ANY], F, |a| {
        numbers::add1f(&a[0]).map(Value::Float)
    });
    r.variadic("addf", &[], ANY, F, |a| numbers::addf(a).map(Value::Float));
    r.variadic("subf", &[ANY], ANY, F, |a| {
        numbers::subf(&a[0], &a[1..]).map(Value::Float)
    });
    r.variadic("mulf", &[ANY], ANY, F, |a| {
        numbers::mulf(&a[0], &a[1..]).map(Value::Float)
    });
    r.variadic("divf", &[ANY], ANY, F, |a| {
        numbers::divf(&a[0], &a[1..]).map(Value::Float)
    });
    r.add("durationSeconds", &[ANY], F, |a| {
        Value::Float(durations::duration_seconds(&a[0]))
    });
    r.add("durationMilliseconds", &[ANY], I64, |a| {
        durations::duration_milliseconds(&a[0])
    });
    r.add("durationMicroseconds", &[ANY], I64, |a| {
        durations::duration_microseconds(&a[0])
    });
    r.add("durationNanoseconds", &[ANY], I64, |a| {
        durations::duration_nanoseconds(&a[0])
    });
    r.add("durationMinutes", &[ANY], F, |a| {
        Value::Float(durations::duration_minutes(&a[0]))
    });
    r.add("durationHours", &[ANY], F, |a| {
        Value::Float(durations::duration_hours(&a[0]))
    });
    r.add("durationDays", &[ANY], F, |a| {
        Value::Float(durations::duration_days(&a[0]))
    });
    r.add("durationWeeks", &[ANY], F, |a| {
        Value::Float(durations::duration_weeks(&a[0]))
    });
    r.add("durationRoundTo", &[ANY, ANY], DURATION, |a| {
        durations::duration_round_to(&a[0], &a[1])
    });
    r.add("durationTruncateTo", &[ANY, ANY], DURATION, |a| {
        durations::duration_truncate_to(&a[0], &a[1])
    });
    r.try_add("mustToDuration", &[ANY], DURATION, |a| {
        durations::must_to_duration(&a[0])
    });
    r.add("duration", &[ANY], S, |a| string(dates::duration(&a[0])));
    r.add("typeOf", &[ANY], S, |a| string(reflect::type_of(&a[0])));
    r.add("typeIs", &[S, ANY], B, |a| {
        Value::Bool(reflect::type_is(s(&a[0]), &a[1]))
    });
    r.add("typeIsLike", &[S, ANY], B, |a| {
        Value::Bool(reflect::type_is_like(s(&a[0]), &a[1]))
    });
    r.add("kindOf", &[ANY], S, |a| string(reflect::kind_of(&a[0])));
    r.add("kindIs", &[S, ANY], B, |a| {
        Value::Bool(reflect::kind_is(s(&a[0]), &a[1]))
    });
    r.add("deepEqual", &[ANY, ANY], B, |a| {
        Value::Bool(reflect::deep_equal(&a[0], &a[1]))
    });
    r.try_add("semver", &[S], GoType::Object("*semver.Version"), |a| {
        semver::semver(s(&a[0]))
    });
    r.try_add("semverCompare", &[S, S], B, |a| {
        semver::semver_compare(s(&a[0]), s(&a[1])).map(Value::Bool)
    });
}
