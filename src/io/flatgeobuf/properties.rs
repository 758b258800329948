//! The property block of a FlatGeobuf feature, decoded with bounds checks.

use flatgeobuf::ColumnType;
use serde_json::{Map, Value};

/// Room reserved for a feature's properties before decoding (more grow the list): the survey
/// profile has about ten fields, and a hostile header's thousands of columns reserve nothing.
const RESERVED_PROPERTIES: usize = 16;

/// Decodes a feature's property block with bounds checks (the encoding: a little-endian u16
/// column index, then the value in the column's type; strings and binaries prefixed by a u32
/// length). A truncated or corrupt block is an error, never a read past its end. A column given
/// twice keeps its last value; null values are left out.
pub(super) fn decode(
    bytes: &[u8],
    columns: &[(String, ColumnType)],
) -> Result<Map<String, Value>, String> {
    // Collected first, then built into the map in one pass (sorting a few names costs less
    // than inserting them one by one).
    let mut m = Vec::with_capacity(columns.len().min(RESERVED_PROPERTIES));
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> Result<&[u8], String> {
        let end = at
            .checked_add(n)
            .filter(|&e| e <= bytes.len())
            .ok_or("the property block is truncated")?;
        let s = &bytes[*at..end];
        *at = end;
        Ok(s)
    };
    while at < bytes.len() {
        let i = u16::from_le_bytes(
            take(&mut at, 2)?
                .try_into()
                .map_err(|_| "bad column index")?,
        ) as usize;
        let (name, ty) = columns
            .get(i)
            .ok_or_else(|| format!("property of column {i}, which the header does not define"))?;
        let fixed = |at: &mut usize, n: usize| -> Result<[u8; 8], String> {
            let mut b = [0u8; 8];
            b[..n].copy_from_slice(take(at, n)?);
            Ok(b)
        };
        let v = match *ty {
            ColumnType::Byte => Value::from(fixed(&mut at, 1)?[0] as i8),
            ColumnType::UByte => Value::from(fixed(&mut at, 1)?[0]),
            ColumnType::Bool => Value::Bool(fixed(&mut at, 1)?[0] != 0),
            ColumnType::Short => Value::from(i16::from_le_bytes(
                fixed(&mut at, 2)?[..2].try_into().unwrap_or_default(),
            )),
            ColumnType::UShort => Value::from(u16::from_le_bytes(
                fixed(&mut at, 2)?[..2].try_into().unwrap_or_default(),
            )),
            ColumnType::Int => Value::from(i32::from_le_bytes(
                fixed(&mut at, 4)?[..4].try_into().unwrap_or_default(),
            )),
            ColumnType::UInt => Value::from(u32::from_le_bytes(
                fixed(&mut at, 4)?[..4].try_into().unwrap_or_default(),
            )),
            ColumnType::Long => Value::from(i64::from_le_bytes(fixed(&mut at, 8)?)),
            ColumnType::ULong => Value::from(u64::from_le_bytes(fixed(&mut at, 8)?)),
            ColumnType::Float => {
                let x = f32::from_le_bytes(fixed(&mut at, 4)?[..4].try_into().unwrap_or_default())
                    as f64;
                serde_json::Number::from_f64(x)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
            ColumnType::Double => {
                let x = f64::from_le_bytes(fixed(&mut at, 8)?);
                serde_json::Number::from_f64(x)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
            ColumnType::String | ColumnType::Json | ColumnType::DateTime | ColumnType::Binary => {
                let len = u32::from_le_bytes(fixed(&mut at, 4)?[..4].try_into().unwrap_or_default())
                    as usize;
                let raw = take(&mut at, len)?;
                if *ty == ColumnType::Binary {
                    Value::Null
                } else {
                    Value::String(
                        std::str::from_utf8(raw)
                            .map_err(|_| format!("`{name}` is not UTF-8"))?
                            .to_string(),
                    )
                }
            }
            _ => return Err(format!("`{name}` has a column type Strata does not read")),
        };
        if !v.is_null() {
            m.push((name.clone(), v));
        }
    }
    Ok(Map::from_iter(m))
}
