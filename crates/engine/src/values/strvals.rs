//! Helm's `pkg/strvals`: the parsers behind `--set`, `--set-string`, `--set-json`,
//! `--set-file` (`parser.go`) and `--set-literal` (`literal_parser.go`), as one parser with
//! a mode. Names follow Go's (`key`, `listItem`, `keyIndex`, `valList`, `emptyVal`).
//!
//! Go mutates the destination map in place and keeps what it wrote before an error; so does
//! this port, including Go's quirks: a key whose index text ends early (`a[0`) is silently
//! ignored, `{}` is a list holding one empty string, and a type clash in the destination
//! is reported as the Go runtime panic the parser recovers from.
use std::sync::Arc;

use super::json_prefix::decode_first_value;
use super::scan::{Scanner, atoi, equal_fold, parse_int, quote_runes};
use crate::gofmt::quote;
use crate::value::{ListKind, Map, Value};

/// Helm's `strvals.MaxIndex`: the largest list index a key may name.
pub const MAX_INDEX: i64 = 65536;

/// Helm's `strvals.MaxNestedNameLevel`: how many `.` a key may hold.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How deeply `[i][j]...` indexes may nest in one key. Go has no limit of its own; helmsync
/// keeps the nesting of the values it builds within what the rest of the engine walks.
pub const MAX_INDEX_NESTING: usize = crate::json::MAX_NESTING_DEPTH;

/// Reads the contents of a file named by a `--set-file` value.
pub type FileReader<'r> = &'r dyn Fn(&str) -> Result<String, String>;

/// How values are read: the parser differs per flag only in this.
#[derive(Clone, Copy)]
pub(super) enum Mode<'r> {
    /// `--set`: `true`, `false`, `null` and integers are typed.
    Typed,
    /// `--set-string`: every value is a string.
    Strings,
    /// `--set-json`: values are JSON.
    Json,
    /// `--set-file`: values name files whose contents become strings.
    File(FileReader<'r>),
    /// `--set-literal`: no escapes, and the value is the rest of the text.
    Literal,
}

/// How a parsing step ended, when not in success. Go's `io.EOF` (possibly wrapped) ends
/// the parse without an error; the other variants carry Go's messages.
#[derive(Debug)]
pub(super) enum Failure {
    /// `io.EOF`, bare or wrapped by `%w`: `errors.Is(err, io.EOF)` holds either way, and
    /// the parse ends quietly, so the wrapping text is never seen.
    Eof,
    /// `ErrNotList`: the value does not start with `{`.
    NotList,
    /// A Go runtime panic (a failed type assertion); `key` turns it into an error.
    Panic(String),
    Error(String),
}

impl Failure {
    fn error(message: impl Into<String>) -> Failure {
        Failure::Error(message.into())
    }

    /// `fmt.Errorf(prefix + "%w", err)`.
    fn wrap(self, prefix: &str) -> Failure {
        match self {
            Failure::Eof => Failure::Eof,
            Failure::NotList => Failure::Error(format!("{prefix}not a list")),
            Failure::Panic(m) | Failure::Error(m) => Failure::Error(format!("{prefix}{m}")),
        }
    }
}

type Step = Result<(), Failure>;

/// Parses `text` into `data` the way `mode`'s Go parser does. `Ok` when Go returns nil.
pub(super) fn parse_into(text: &str, data: &mut Map, mode: Mode<'_>) -> Result<(), String> {
    let mut parser = Parser {
        sc: Scanner::new(text),
        mode,
        index_nesting: 0,
    };
    loop {
        match parser.key(data, 0) {
            Ok(()) => continue,
            Err(Failure::Eof) => return Ok(()),
            Err(Failure::Error(message) | Failure::Panic(message)) => return Err(message),
            Err(Failure::NotList) => return Err("not a list".to_owned()),
        }
    }
}

struct Parser<'a, 'r> {
    sc: Scanner<'a>,
    mode: Mode<'r>,
    /// How many `[i]` of the current key are being read inside one another.
    index_nesting: usize,
}

/// Stack kept free before reading a nested index; deeper nesting continues on a heap
/// segment of `STACK_SEGMENT` bytes.
const STACK_RED_ZONE: usize = 64 * 1024;
const STACK_SEGMENT: usize = 1024 * 1024;

/// The Go panic of a failed `x.(T)` on a value in the destination.
fn conversion_panic(found: &Value, want: &str) -> Failure {
    let found = if found.is_nil() {
        "nil"
    } else {
        found.type_name()
    };
    Failure::Panic(format!(
        "interface conversion: interface {{}} is {found}, not {want}"
    ))
}

const GO_LIST: &str = "[]interface {}";
const GO_MAP: &str = "map[string]interface {}";

/// Helm's `set`: an empty key is never written.
fn set(data: &mut Map, key: &str, value: Value) {
    if !key.is_empty() {
        data.insert(key.to_owned(), value);
    }
}

/// Helm's `setIndex`: writes `list[index]`, growing the list with nils.
fn set_index(mut list: Vec<Value>, index: i64, value: Value) -> (Vec<Value>, Step) {
    if index < 0 {
        let message = format!("negative {index} index not allowed");
        return (list, Err(Failure::error(message)));
    }
    if index > MAX_INDEX {
        let message =
            format!("index of {index} is greater than maximum supported index of {MAX_INDEX}");
        return (list, Err(Failure::error(message)));
    }
    // Within 0..=MAX_INDEX, checked above.
    let index = index as usize;
    if list.len() <= index {
        list.resize(index + 1, Value::Nil);
    }
    list[index] = value;
    (list, Ok(()))
}

/// Takes the list out of a `Value` found in the destination.
fn into_list(value: Value) -> Vec<Value> {
    match value {
        Value::List(items, _) => Arc::unwrap_or_clone(items),
        _ => Vec::new(),
    }
}

fn into_map(value: Value) -> Map {
    match value {
        Value::Map(map) => map.into_map(),
        _ => Map::new(),
    }
}

fn is_go_list(value: &Value) -> bool {
    matches!(value, Value::List(_, ListKind::Any))
}

impl Parser<'_, '_> {
    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    fn runes_until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let escapes = !self.literal();
        self.sc.runes_until(stop, escapes)
    }

    /// `key`, with Go's `recover` turning a panic below it into an error.
    fn key(&mut self, data: &mut Map, level: usize) -> Step {
        self.key_unrecovered(data, level)
            .map_err(|failure| match failure {
                Failure::Panic(message) => {
                    Failure::error(format!("unable to parse key: {message}"))
                }
                other => other,
            })
    }

    fn key_unrecovered(&mut self, data: &mut Map, level: usize) -> Step {
        let stop: &[char] = if self.literal() {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (key, last) = self.runes_until(stop);
        match last {
            None if key.is_empty() => Err(Failure::Eof),
            None => Err(Failure::error(format!("key {} has no value", quote(&key)))),
            Some('[') => self.key_list(data, key, level),
            Some('=') => self.key_value(data, &key),
            Some(',') => {
                set(data, &key, Value::from(""));
                Err(Failure::error(format!(
                    "key {} has no value (cannot end with ,)",
                    quote(&key)
                )))
            }
            _ => self.key_map(data, key, level + 1),
        }
    }

    /// `key[`: the list at `key`, or a new one, gets the item the rest of the text names.
    fn key_list(&mut self, data: &mut Map, key: String, level: usize) -> Step {
        let index = self
            .key_index()
            .map_err(|e| e.wrap("error parsing index: "))?;
        let existing = match data.get(&key) {
            Some(value) if !is_go_list(value) => return Err(conversion_panic(value, GO_LIST)),
            Some(value) => Some(value.clone()),
            None => None,
        };
        let original_len = existing.as_ref().and_then(Value::as_list).map(<[_]>::len);
        if !key.is_empty() {
            data.remove(&key);
        }
        let list = existing.map(into_list).unwrap_or_default();
        let (list, result) = self.list_item(list, index, level);
        if matches!(result, Err(Failure::Panic(_))) || key.is_empty() {
            // Go skips its `set` (unwinding, or for the empty key) but has written into the
            // existing list in place, which shows unless the list had to grow.
            if let Some(len) = original_len
                && list.len() == len
            {
                data.insert(key, Value::list(list));
            }
            return result;
        }
        data.insert(key, Value::list(list));
        result
    }

    /// `key=`: reads the value.
    fn key_value(&mut self, data: &mut Map, key: &str) -> Step {
        match self.mode {
            Mode::Literal => {
                let (value, _) = self.sc.runes_until(&[], false);
                set(data, key, Value::from(value));
                Ok(())
            }
            Mode::Json => {
                if self.empty_val() {
                    set(data, key, Value::Nil);
                    return Ok(());
                }
                let value = self.json_value()?;
                set(data, key, value);
                self.empty_val();
                Ok(())
            }
            _ => match self.val_list() {
                Ok(list) => {
                    set(data, key, Value::list(list));
                    Ok(())
                }
                Err(Failure::Eof) => {
                    set(data, key, Value::from(""));
                    Err(Failure::Eof)
                }
                Err(Failure::NotList) => {
                    let runes = self.val();
                    let (value, result) = match self.read(&runes) {
                        Ok(value) => (value, Ok(())),
                        Err(e) => (Value::Nil, Err(e)),
                    };
                    set(data, key, value);
                    result
                }
                Err(e) => Err(e),
            },
        }
    }

    /// `key.`: the map at `key`, or a new one, gets what the rest of the text names.
    fn key_map(&mut self, data: &mut Map, key: String, level: usize) -> Step {
        if level > MAX_NESTED_NAME_LEVEL {
            return Err(Failure::error(format!(
                "value name nested level is greater than maximum supported nested level of \
                 {MAX_NESTED_NAME_LEVEL}"
            )));
        }
        let existing = match data.remove(&key) {
            Some(Value::Map(map)) => Some(map.into_map()),
            Some(other) => {
                let panic = conversion_panic(&other, GO_MAP);
                data.insert(key, other);
                return Err(panic);
            }
            None => None,
        };
        let in_data = existing.is_some();
        let mut inner = existing.unwrap_or_default();
        let result = self.key(&mut inner, level);
        if result.is_ok() && inner.is_empty() {
            if in_data {
                data.insert(key.clone(), Value::map(inner));
            }
            return Err(Failure::error(format!(
                "key map {} has no value",
                quote(&key)
            )));
        }
        // A map taken from the destination was changed in place; a new one is set only
        // when it holds something.
        if in_data || (!inner.is_empty() && !key.is_empty()) {
            data.insert(key, Value::map(inner));
        }
        result
    }

    /// `keyIndex`: the index up to `]`.
    fn key_index(&mut self) -> Result<i64, Failure> {
        let (index, last) = self.runes_until(&[']']);
        if last.is_none() {
            return Err(Failure::Eof);
        }
        atoi(&index).map_err(Failure::Error)
    }

    /// `listItem`: sets item `i` of `list` from the rest of the text. Returns the list, as
    /// Go does, on failure too (then holding only what Go wrote in place).
    fn list_item(&mut self, list: Vec<Value>, i: i64, level: usize) -> (Vec<Value>, Step) {
        if i < 0 {
            let message = format!("negative {i} index not allowed");
            return (list, Err(Failure::error(message)));
        }
        let (key, last) = self.runes_until(&['[', '.', '=']);
        if !key.is_empty() {
            let message = format!(
                "unexpected data at end of array index: {}",
                quote_runes(&key)
            );
            return (list, Err(Failure::error(message)));
        }
        match last {
            None => (list, Err(Failure::Eof)),
            Some('=') => self.list_item_value(list, i),
            Some('[') => self.nested_list_item(list, i, level),
            _ => self.list_item_map(list, i, level),
        }
    }

    /// `name[i]=`: reads the value of the item.
    fn list_item_value(&mut self, list: Vec<Value>, i: i64) -> (Vec<Value>, Step) {
        match self.mode {
            Mode::Literal => {
                let (value, _) = self.sc.runes_until(&[], false);
                set_index(list, i, Value::from(value))
            }
            Mode::Json => {
                if self.empty_val() {
                    return set_index(list, i, Value::Nil);
                }
                let value = match self.json_value() {
                    Ok(value) => value,
                    Err(e) => return (list, Err(e)),
                };
                let (list, result) = set_index(list, i, value);
                if result.is_ok() {
                    self.empty_val();
                }
                (list, result)
            }
            _ => match self.val_list() {
                Ok(items) => set_index(list, i, Value::list(items)),
                Err(Failure::Eof) => set_index(list, i, Value::from("")),
                Err(Failure::NotList) => {
                    let runes = self.val();
                    match self.read(&runes) {
                        Ok(value) => set_index(list, i, value),
                        Err(e) => (list, Err(e)),
                    }
                }
                Err(e) => (list, Err(e)),
            },
        }
    }

    /// `name[i][j]...`: item `i` is itself a list.
    fn nested_list_item(
        &mut self,
        mut list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Vec<Value>, Step) {
        if self.index_nesting >= MAX_INDEX_NESTING {
            let message = format!(
                "list index nesting level is greater than maximum supported nesting level of \
                 {MAX_INDEX_NESTING}"
            );
            return (list, Err(Failure::error(message)));
        }
        let next = match self.key_index() {
            Ok(next) => next,
            Err(e) => return (list, Err(e.wrap("error parsing index: "))),
        };
        // Within the list, so not negative and small.
        let slot = usize::try_from(i).ok().filter(|&slot| slot < list.len());
        let current = match slot.map(|slot| &list[slot]) {
            Some(Value::Nil) | None => None,
            Some(value) if is_go_list(value) => slot,
            Some(value) => {
                let panic = conversion_panic(value, GO_LIST);
                return (list, Err(panic));
            }
        };
        let inner = current
            .map(|slot| into_list(std::mem::take(&mut list[slot])))
            .unwrap_or_default();
        self.index_nesting += 1;
        let (inner, result) = stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            self.list_item(inner, next, level)
        });
        self.index_nesting -= 1;
        if let Err(e) = result {
            // Go keeps the old item, which the failed step may have changed in place.
            if let Some(slot) = current {
                list[slot] = Value::list(inner);
            }
            return (list, Err(e));
        }
        set_index(list, i, Value::list(inner))
    }

    /// `name[i].`: item `i` is a map; any other item is replaced by an empty map first.
    fn list_item_map(&mut self, mut list: Vec<Value>, i: i64, level: usize) -> (Vec<Value>, Step) {
        let slot = usize::try_from(i).ok().filter(|&slot| slot < list.len());
        let mut inner = slot
            .map(|slot| into_map(std::mem::take(&mut list[slot])))
            .unwrap_or_default();
        let result = self.key(&mut inner, level);
        if let Some(slot) = slot {
            list[slot] = Value::map(inner);
            return (list, result);
        }
        if let Err(e) = result {
            return (list, Err(e));
        }
        set_index(list, i, Value::map(inner))
    }

    /// `emptyVal`: skips blanks; true when the value ends there (at `,` or the end).
    fn empty_val(&mut self) -> bool {
        loop {
            match self.sc.read_rune() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => continue,
                Some(_) => {
                    self.sc.unread_rune();
                    return false;
                }
            }
        }
    }

    /// Decodes the JSON value that starts here and moves past it.
    fn json_value(&mut self) -> Result<Value, Failure> {
        let (value, consumed) = decode_first_value(self.sc.rest()).map_err(Failure::Error)?;
        self.sc.skip_bytes(consumed);
        Ok(value)
    }

    /// `val`: the characters up to `,`.
    fn val(&mut self) -> String {
        self.runes_until(&[',']).0
    }

    /// `valList`: `{a,b,c}` as a list, each item read by the mode's reader.
    fn val_list(&mut self) -> Result<Vec<Value>, Failure> {
        match self.sc.read_rune() {
            None => return Err(Failure::Eof),
            Some('{') => {}
            Some(_) => {
                self.sc.unread_rune();
                return Err(Failure::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (runes, last) = self.runes_until(&[',', '}']);
            match last {
                None => return Err(Failure::error("list must terminate with '}'")),
                Some('}') => {
                    if let Some(next) = self.sc.read_rune()
                        && next != ','
                    {
                        self.sc.unread_rune();
                    }
                    list.push(self.read(&runes)?);
                    return Ok(list);
                }
                _ => list.push(self.read(&runes)?),
            }
        }
    }

    /// The parser's `reader`: what a value's text becomes.
    fn read(&self, runes: &str) -> Result<Value, Failure> {
        match self.mode {
            Mode::Typed => Ok(typed_val(runes)),
            Mode::File(reader) => reader(runes).map(Value::from).map_err(Failure::Error),
            _ => Ok(Value::from(runes)),
        }
    }
}

/// `typedVal` for `--set`: booleans and `null` in any case, `0`, and integers that do not
/// start with `0` become typed values (int64); everything else stays a string.
fn typed_val(text: &str) -> Value {
    if equal_fold(text, "true") {
        return Value::Bool(true);
    }
    if equal_fold(text, "false") {
        return Value::Bool(false);
    }
    if equal_fold(text, "null") {
        return Value::Nil;
    }
    if text == "0" {
        return Value::from(0i64);
    }
    if !text.is_empty()
        && !text.starts_with('0')
        && let Ok(i) = parse_int(text)
    {
        return Value::from(i);
    }
    Value::from(text)
}
