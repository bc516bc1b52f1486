//! Reading an uploaded file into a header row and data rows of text cells: CSV in any common
//! delimiter and encoding (UTF-8 with or without BOM, UTF-16 as Excel's "Unicode text", and
//! GBK/GB18030 as Chinese Excel saves CSV), or a workbook (XLSX, XLS, ODS: the first sheet).

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::{error::Text, text};

/// A file's content as text cells. `line` numbers are what the user sees: the CSV line, or the
/// sheet's row number.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header_line: u64,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map(|c| c.trim()).unwrap_or_default()
    }
}

/// Zip (XLSX, ODS) and OLE (XLS) signatures: workbooks are recognised by content, not by name.
fn is_workbook(file_name: &str, data: &[u8]) -> bool {
    let lower = file_name.to_lowercase();
    data.starts_with(b"PK\x03\x04")
        || data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        || [".xlsx", ".xlsm", ".xls", ".ods"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

pub fn read(file_name: &str, data: &[u8]) -> Result<Table, Text> {
    if is_workbook(file_name, data) {
        read_workbook(data)
    } else {
        read_csv(&decode(data))
    }
}

/// UTF-8 (BOM or not) when the bytes are valid UTF-8; UTF-16 when a BOM says so; otherwise
/// GB18030, the superset of GBK that Chinese Windows and Excel write.
pub fn decode(data: &[u8]) -> String {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(data) {
        let (text, _) = encoding.decode_without_bom_handling(&data[bom_len..]);
        return text.into_owned();
    }
    match std::str::from_utf8(data) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(data)
            .0
            .into_owned(),
    }
}

/// The delimiter of the first non-empty line: the most frequent of `,` `;` tab outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(slot) = counts.iter_mut().find(|(d, _)| *d == c) {
            slot.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == b','))
        .map(|(d, _)| *d)
        .unwrap_or(b',')
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

fn read_csv(text: &str) -> Result<Table, Text> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    let mut record = csv::StringRecord::new();
    // The csv reader's position of a record includes the blank lines before it; users need the
    // line the record's text is on, so count from its first byte past those line breaks.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line_at) = (0usize, 1u64);
    let mut line_of = |byte: u64| {
        let mut i = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while i < bytes.len() && matches!(bytes[i], b'\n' | b'\r') {
            i += 1;
        }
        let i = i.max(counted_to);
        line_at += bytes[counted_to..i].iter().filter(|&&c| c == b'\n').count() as u64;
        counted_to = i;
        line_at
    };
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                return Err(text!(
                    "第 {line} 行无法按 CSV 读取：{e}",
                    "Line {line} cannot be read as CSV: {e}"
                ));
            }
        }
        let line = record.position().map(|p| line_of(p.byte())).unwrap_or(line);
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if blank(&cells) {
            continue;
        }
        if table.headers.is_empty() {
            table.header_line = line;
            table.headers = cells;
        } else {
            table.rows.push(Row { line, cells });
        }
    }
    Ok(table)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        // Whole numbers as integers: a code or quantity typed as 100 reads "100", not "100.0".
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_workbook(data: &[u8]) -> Result<Table, Text> {
    let unreadable = |e: &dyn std::fmt::Display| {
        text!("无法读取该工作簿：{e}", "The workbook cannot be read: {e}")
    };
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(data)).map_err(|e| unreadable(&e))?;
    let range = match workbook.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| unreadable(&e))?,
        None => return Ok(Table::default()),
    };
    let first_row = range.start().map(|(r, _)| u64::from(r)).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut table = Table::default();
    for (i, row) in range.rows().enumerate() {
        // Cells left of the used range are empty; keep column positions as the sheet has them.
        let mut cells = vec![String::new(); first_col];
        cells.extend(row.iter().map(cell_text));
        if blank(&cells) {
            continue;
        }
        let line = first_row + i as u64 + 1;
        if table.headers.is_empty() {
            table.header_line = line;
            table.headers = cells;
        } else {
            table.rows.push(Row { line, cells });
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters_outside_quotes() {
        assert_eq!(sniff_delimiter("a;b;\"c,d,e\"\n1;2;3"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("a,b"), b',');
        assert_eq!(sniff_delimiter("single"), b',');
    }

    #[test]
    fn decodes_bom_utf8_and_gbk() {
        assert_eq!(decode(b"\xEF\xBB\xBFcode"), "code");
        let (gbk, _, _) = encoding_rs::GBK.encode("物料编码,名称");
        assert_eq!(decode(&gbk), "物料编码,名称");
    }

    #[test]
    fn csv_lines_skip_blank_rows() {
        let t = read("x.csv", "\ncode;name\n\nA;\"x\ny\"\nB;z\n".as_bytes()).unwrap();
        assert_eq!(t.header_line, 2);
        assert_eq!(t.headers, ["code", "name"]);
        let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 6]);
        assert_eq!(t.rows[0].cell(1), "x\ny");
    }
}
