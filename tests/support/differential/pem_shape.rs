//! The shape of PEM data - what a certificate or key is, not its random bytes - so that two
//! renders of `genCA`, `genSignedCert` or `genPrivateKey` can be compared.
//!
//! A small DER reader walks just the fields that carry meaning: block types, subject and
//! issuer names, validity length, subject alternative names, the CA flag, extension and key
//! algorithms, key sizes and curves. Serial numbers, dates, keys and signatures are left out.
use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The largest DER length this reader accepts; certificates in charts are a few KiB.
const MAX_DER_LENGTH: usize = 1 << 20;

const TAG_BOOLEAN: u8 = 0x01;
const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;
const TAG_SET: u8 = 0x31;
const TAG_UTC_TIME: u8 = 0x17;
const TAG_GENERALIZED_TIME: u8 = 0x18;
const TAG_VERSION: u8 = 0xa0;
const TAG_EXTENSIONS: u8 = 0xa3;
const TAG_SAN_DNS: u8 = 0x82;
const TAG_SAN_IP: u8 = 0x87;

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_SUBJECT_ALT_NAME: &str = "2.5.29.17";
const OID_BASIC_CONSTRAINTS: &str = "2.5.29.19";

/// The shape of every PEM block in `text`, or `None` when `text` holds no PEM block or one
/// that does not parse (the caller then compares the text as it is).
pub fn describe(text: &str) -> Option<String> {
    let blocks = pem_blocks(text)?;
    let shapes: Option<Vec<String>> = blocks
        .iter()
        .map(|(label, der)| {
            let inner = match label.as_str() {
                "CERTIFICATE" => certificate(der),
                "RSA PRIVATE KEY" => rsa_private_key(der),
                "EC PRIVATE KEY" => ec_private_key(der),
                "PRIVATE KEY" => pkcs8_private_key(der),
                _ => None,
            }?;
            Some(format!("{label}{{{inner}}}"))
        })
        .collect();
    Some(shapes?.join(" "))
}

/// The (label, DER bytes) of each `-----BEGIN label-----` block; `None` when there is none
/// or a body is not base64.
fn pem_blocks(text: &str) -> Option<Vec<(String, Vec<u8>)>> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        loop {
            let next = lines.next()?;
            if next == end {
                break;
            }
            body.push_str(next);
        }
        blocks.push((label.to_owned(), STANDARD.decode(body).ok()?));
    }
    (!blocks.is_empty()).then_some(blocks)
}

/// One DER element: its tag and content.
struct Element<'a> {
    tag: u8,
    content: &'a [u8],
}

/// Reads DER elements one after another from a byte slice.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    fn next(&mut self) -> Option<Element<'a>> {
        let (&tag, rest) = self.rest.split_first()?;
        let (&first, mut rest) = rest.split_first()?;
        let length = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let (bytes, after) = rest.split_at(count);
            rest = after;
            bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b))
        };
        if length > MAX_DER_LENGTH || rest.len() < length {
            return None;
        }
        let (content, after) = rest.split_at(length);
        self.rest = after;
        Some(Element { tag, content })
    }

    fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        let element = self.next()?;
        (element.tag == tag).then_some(element.content)
    }
}

fn oid(content: &[u8]) -> Option<String> {
    let (&first, rest) = content.split_first()?;
    let mut parts = vec![u64::from(first / 40), u64::from(first % 40)];
    let mut value: u64 = 0;
    for &byte in rest {
        value = value.checked_mul(128)? | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            parts.push(value);
            value = 0;
        }
    }
    Some(
        parts
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The bit length of a DER INTEGER's magnitude.
fn integer_bits(content: &[u8]) -> usize {
    let digits: &[u8] = match content.iter().position(|&b| b != 0) {
        Some(i) => &content[i..],
        None => return 0,
    };
    digits.len() * 8 - digits[0].leading_zeros() as usize
}

/// A non-negative DER INTEGER that fits in a u32 (versions, counts).
fn small_integer(content: &[u8]) -> Option<u32> {
    if content.is_empty() || content.len() > 4 {
        return None;
    }
    Some(content.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)))
}

/// A distinguished name as `CN=x,O=y`, attributes in their order.
fn name(content: &[u8]) -> Option<String> {
    let mut rdns = Reader::new(content);
    let mut parts = Vec::new();
    while !rdns.is_empty() {
        let mut set = Reader::new(rdns.expect(TAG_SET)?);
        while !set.is_empty() {
            let mut attribute = Reader::new(set.expect(TAG_SEQUENCE)?);
            let kind = oid(attribute.expect(TAG_OID)?)?;
            let value = attribute.next()?;
            let label = match kind.as_str() {
                "2.5.4.3" => "CN".to_owned(),
                "2.5.4.10" => "O".to_owned(),
                "2.5.4.11" => "OU".to_owned(),
                "2.5.4.6" => "C".to_owned(),
                _ => kind,
            };
            parts.push(format!(
                "{label}={}",
                String::from_utf8_lossy(value.content)
            ));
        }
    }
    Some(parts.join(","))
}

/// Seconds since the epoch of a UTCTime or GeneralizedTime in `YYMMDDHHMMSSZ` form.
fn time_seconds(element: &Element) -> Option<i64> {
    let text = std::str::from_utf8(element.content)
        .ok()?
        .strip_suffix('Z')?;
    let (year, rest) = match element.tag {
        TAG_UTC_TIME => {
            let yy: i64 = text.get(..2)?.parse().ok()?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, text.get(2..)?)
        }
        TAG_GENERALIZED_TIME => (text.get(..4)?.parse().ok()?, text.get(4..)?),
        _ => return None,
    };
    let field = |i: usize| -> Option<i64> { rest.get(i..i + 2)?.parse().ok() };
    let days = days_from_civil(year, field(0)?, field(2)?);
    Some(days * 86_400 + field(4)? * 3600 + field(6)? * 60 + field(8)?)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `alg/bits` for RSA, `ec/curve` for EC, the algorithm OID otherwise.
fn public_key(spki: &[u8]) -> Option<String> {
    let mut reader = Reader::new(spki);
    let mut algorithm = Reader::new(reader.expect(TAG_SEQUENCE)?);
    let kind = oid(algorithm.expect(TAG_OID)?)?;
    let key = reader.expect(TAG_BIT_STRING)?;
    match kind.as_str() {
        OID_RSA => {
            let mut rsa = Reader::new(Reader::new(key.get(1..)?).expect(TAG_SEQUENCE)?);
            Some(format!("rsa/{}", integer_bits(rsa.expect(TAG_INTEGER)?)))
        }
        OID_EC => Some(format!("ec/{}", oid(algorithm.expect(TAG_OID)?)?)),
        _ => Some(kind),
    }
}

fn subject_alt_names(value: &[u8]) -> Option<String> {
    let mut names = Reader::new(Reader::new(value).expect(TAG_SEQUENCE)?);
    let mut out = Vec::new();
    while !names.is_empty() {
        let name = names.next()?;
        out.push(match name.tag {
            TAG_SAN_DNS => format!("dns:{}", String::from_utf8_lossy(name.content)),
            TAG_SAN_IP => {
                let octets: Vec<String> = name.content.iter().map(u8::to_string).collect();
                format!("ip:{}", octets.join("."))
            }
            other => format!("tag{other:#x}"),
        });
    }
    Some(out.join(","))
}

fn is_ca(value: &[u8]) -> Option<bool> {
    let mut constraints = Reader::new(Reader::new(value).expect(TAG_SEQUENCE)?);
    Some(constraints.peek_tag() == Some(TAG_BOOLEAN) && constraints.next()?.content == [0xff])
}

fn certificate(der: &[u8]) -> Option<String> {
    let mut cert = Reader::new(Reader::new(der).expect(TAG_SEQUENCE)?);
    let mut tbs = Reader::new(cert.expect(TAG_SEQUENCE)?);
    let signature_algorithm = {
        let mut algorithm = Reader::new(cert.expect(TAG_SEQUENCE)?);
        oid(algorithm.expect(TAG_OID)?)?
    };
    let version = if tbs.peek_tag() == Some(TAG_VERSION) {
        let mut explicit = Reader::new(tbs.next()?.content);
        small_integer(explicit.expect(TAG_INTEGER)?)?
    } else {
        0
    };
    tbs.expect(TAG_INTEGER)?; // serial number: random
    tbs.expect(TAG_SEQUENCE)?; // signature algorithm, repeated
    let issuer = name(tbs.expect(TAG_SEQUENCE)?)?;
    let mut validity = Reader::new(tbs.expect(TAG_SEQUENCE)?);
    let not_before = time_seconds(&validity.next()?)?;
    let not_after = time_seconds(&validity.next()?)?;
    let subject = name(tbs.expect(TAG_SEQUENCE)?)?;
    let key = public_key(tbs.expect(TAG_SEQUENCE)?)?;

    let mut out = format!(
        "version={version} subject={subject:?} issuer={issuer:?} valid-days={} key={key} \
         signature={signature_algorithm}",
        ((not_after - not_before) as f64 / 86_400.0).round()
    );
    while let Some(element) = tbs.next() {
        if element.tag != TAG_EXTENSIONS {
            continue;
        }
        let mut extensions = Reader::new(Reader::new(element.content).expect(TAG_SEQUENCE)?);
        let mut ids = Vec::new();
        // Printed in one order whatever the order of the extensions in the certificate:
        // the order carries no meaning, and Go's and rcgen's differ.
        let (mut ca, mut san) = (String::new(), String::new());
        while !extensions.is_empty() {
            let mut extension = Reader::new(extensions.expect(TAG_SEQUENCE)?);
            let id = oid(extension.expect(TAG_OID)?)?;
            let critical =
                extension.peek_tag() == Some(TAG_BOOLEAN) && extension.next()?.content == [0xff];
            let value = extension.expect(TAG_OCTET_STRING)?;
            match id.as_str() {
                OID_SUBJECT_ALT_NAME => san = format!(" san=[{}]", subject_alt_names(value)?),
                OID_BASIC_CONSTRAINTS => ca = format!(" ca={}", is_ca(value)?),
                _ => {}
            }
            ids.push(if critical { format!("{id}!") } else { id });
        }
        ids.sort();
        write!(out, "{ca}{san} extensions=[{}]", ids.join(",")).ok()?;
    }
    Some(out)
}

fn rsa_private_key(der: &[u8]) -> Option<String> {
    let mut key = Reader::new(Reader::new(der).expect(TAG_SEQUENCE)?);
    key.expect(TAG_INTEGER)?; // version
    Some(format!("rsa/{}", integer_bits(key.expect(TAG_INTEGER)?)))
}

fn ec_private_key(der: &[u8]) -> Option<String> {
    let mut key = Reader::new(Reader::new(der).expect(TAG_SEQUENCE)?);
    key.expect(TAG_INTEGER)?; // version
    let private = key.expect(TAG_OCTET_STRING)?;
    let curve = match key.next() {
        Some(parameters) if parameters.tag == TAG_VERSION => {
            oid(Reader::new(parameters.content).expect(TAG_OID)?)?
        }
        _ => "unnamed".to_owned(),
    };
    Some(format!("ec/{curve} private-bytes={}", private.len()))
}

fn pkcs8_private_key(der: &[u8]) -> Option<String> {
    let mut key = Reader::new(Reader::new(der).expect(TAG_SEQUENCE)?);
    key.expect(TAG_INTEGER)?; // version
    let mut algorithm = Reader::new(key.expect(TAG_SEQUENCE)?);
    let kind = oid(algorithm.expect(TAG_OID)?)?;
    let private = key.expect(TAG_OCTET_STRING)?;
    match kind.as_str() {
        OID_RSA => Some(format!("pkcs8/{}", rsa_private_key(private)?)),
        OID_EC => Some(format!("pkcs8/ec/{}", oid(algorithm.expect(TAG_OID)?)?)),
        _ => Some(format!("pkcs8/{kind} private-bytes={}", private.len())),
    }
}
