//! The registrations of Helm's function map that draw on the caller's [`Environment`]:
//! the clock, randomness, name resolution and key and certificate generation.
use std::sync::Arc;

use crate::value::Value;

use super::register::{ANY, I, Registry, S, TIME, i, s, string};
use super::{Environment, crypto, dates, random};

pub(super) fn register_environment(r: &mut Registry, env: Arc<dyn Environment>) {
    let e = env.clone();
    r.add("now", &[], TIME, move |_| dates::now(e.as_ref()));
    let e = env.clone();
    r.add("date", &[S, ANY], S, move |a| {
        string(dates::date(e.as_ref(), s(&a[0]), &a[1]))
    });
    let e = env.clone();
    r.add("dateInZone", &[S, ANY, S], S, move |a| {
        string(dates::date_in_zone(e.as_ref(), s(&a[0]), &a[1], s(&a[2])))
    });
    r.alias("date_in_zone", "dateInZone");
    let e = env.clone();
    r.add("htmlDate", &[ANY], S, move |a| {
        string(dates::html_date(e.as_ref(), &a[0]))
    });
    let e = env.clone();
    r.add("htmlDateInZone", &[ANY, S], S, move |a| {
        string(dates::html_date_in_zone(e.as_ref(), &a[0], s(&a[1])))
    });
    let e = env.clone();
    r.add("ago", &[ANY], S, move |a| {
        string(dates::ago(e.as_ref(), &a[0]))
    });
    let e = env.clone();
    r.add("durationRound", &[ANY], S, move |a| {
        string(dates::duration_round(e.as_ref(), &a[0]))
    });
    let e = env.clone();
    r.add("toDate", &[S, S], TIME, move |a| {
        dates::to_date(e.as_ref(), s(&a[0]), s(&a[1]))
    });
    let e = env.clone();
    r.try_add("mustToDate", &[S, S], TIME, move |a| {
        dates::must_to_date(e.as_ref(), s(&a[0]), s(&a[1]))
    });
    type CountFn = fn(&dyn Environment, i64) -> super::Result<String>;
    let counted: [(&str, CountFn); 5] = [
        ("randAlphaNum", random::rand_alpha_num),
        ("randAlpha", random::rand_alpha),
        ("randAscii", random::rand_ascii),
        ("randNumeric", random::rand_numeric),
        ("randBytes", random::rand_bytes),
    ];
    for (name, f) in counted {
        let e = env.clone();
        r.try_add(name, &[I], S, move |a| f(e.as_ref(), i(&a[0])).map(string));
    }
    let e = env.clone();
    r.try_add("randInt", &[I, I], I, move |a| {
        random::rand_int(e.as_ref(), i(&a[0]), i(&a[1])).map(Value::int)
    });
    let e = env.clone();
    r.add("shuffle", &[S], S, move |a| {
        string(random::shuffle(e.as_ref(), s(&a[0])))
    });
    let e = env.clone();
    r.add("uuidv4", &[], S, move |_| {
        string(random::uuidv4(e.as_ref()))
    });
    let e = env.clone();
    r.try_add("getHostByName", &[S], S, move |a| {
        random::get_host_by_name(e.as_ref(), s(&a[0])).map(string)
    });
    let e = env.clone();
    r.add("bcrypt", &[S], S, move |a| {
        string(crypto::bcrypt(e.as_ref(), s(&a[0])))
    });
    let e = env.clone();
    r.add("htpasswd", &[S, S], S, move |a| {
        string(crypto::htpasswd(e.as_ref(), s(&a[0]), s(&a[1])))
    });
    let e = env.clone();
    r.try_add("encryptAES", &[S, S], S, move |a| {
        crypto::encrypt_aes(e.as_ref(), s(&a[0]), s(&a[1])).map(string)
    });
    #[cfg(feature = "certs")]
    register_certs(r, env);
    #[cfg(not(feature = "certs"))]
    drop(env);
}

#[cfg(feature = "certs")]
fn register_certs(r: &mut Registry, env: Arc<dyn Environment>) {
    use super::certs;
    use super::register::L;
    use crate::template::GoType;
    const CERT: GoType = GoType::Object("sprig.certificate");
    let items = |v: &Value| v.as_list().unwrap_or_default().to_vec();
    let e = env.clone();
    r.try_add("genPrivateKey", &[S], S, move |a| {
        certs::generate_private_key(e.as_ref(), s(&a[0])).map(string)
    });
    r.try_add("buildCustomCert", &[S, S], CERT, |a| {
        certs::build_custom_cert(s(&a[0]), s(&a[1]))
    });
    let e = env.clone();
    r.try_add("genCA", &[S, I], CERT, move |a| {
        certs::generate_ca(e.as_ref(), s(&a[0]), i(&a[1]), None)
    });
    let e = env.clone();
    r.try_add("genCAWithKey", &[S, I, S], CERT, move |a| {
        certs::generate_ca(e.as_ref(), s(&a[0]), i(&a[1]), Some(s(&a[2])))
    });
    let e = env.clone();
    r.try_add("genSelfSignedCert", &[S, L, L, I], CERT, move |a| {
        certs::generate_self_signed(
            e.as_ref(),
            s(&a[0]),
            &items(&a[1]),
            &items(&a[2]),
            i(&a[3]),
            None,
        )
    });
    let e = env.clone();
    r.try_add(
        "genSelfSignedCertWithKey",
        &[S, L, L, I, S],
        CERT,
        move |a| {
            let key = Some(s(&a[4]));
            certs::generate_self_signed(
                e.as_ref(),
                s(&a[0]),
                &items(&a[1]),
                &items(&a[2]),
                i(&a[3]),
                key,
            )
        },
    );
    let e = env.clone();
    r.try_add("genSignedCert", &[S, L, L, I, CERT], CERT, move |a| {
        certs::generate_signed(
            e.as_ref(),
            s(&a[0]),
            &items(&a[1]),
            &items(&a[2]),
            i(&a[3]),
            &a[4],
            None,
        )
    });
    r.try_add(
        "genSignedCertWithKey",
        &[S, L, L, I, CERT, S],
        CERT,
        move |a| {
            let key = Some(s(&a[5]));
            certs::generate_signed(
                env.as_ref(),
                s(&a[0]),
                &items(&a[1]),
                &items(&a[2]),
                i(&a[3]),
                &a[4],
                key,
            )
        },
    );
}
