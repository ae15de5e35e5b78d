//! kubectl's table output: upper-case headers and columns padded as cli-runtime's tabwriter
//! does (minwidth 6, tabwidth 4, padding 3, spaces), the last column unpadded.

/// Formats rows (headers first) the way `kubectl get` aligns them.
pub fn render(rows: &[Vec<String>]) -> String {
    render_cells(rows, false)
}

/// Aligns rows with tabwriter's padding; `pad_last` pads the last column too (kubectl's
/// metrics printer ends every cell with a tab), otherwise lines are trimmed.
pub fn render_cells(rows: &[Vec<String>], pad_last: bool) -> String {
    let mut widths = Vec::new();
    widen(rows, &mut widths);
    write_rows(rows, &widths, pad_last)
}

/// Grows `widths` to fit every cell of `rows`.
fn widen(rows: &[Vec<String>], widths: &mut Vec<usize>) {
    for r in rows {
        if widths.len() < r.len() {
            widths.resize(r.len(), 0);
        }
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
}

/// Writes rows padded to `widths`, as tabwriter pads: cell width + 3, at least 6.
fn write_rows(rows: &[Vec<String>], widths: &[usize], pad_last: bool) -> String {
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            line.push_str(c);
            if i + 1 < r.len() || pad_last {
                let w = (widths[i] + 3).max(6);
                line.push_str(&" ".repeat(w - c.chars().count()));
            }
        }
        out.push_str(if pad_last { &line } else { line.trim_end() });
        out.push('\n');
    }
    out
}

/// Rows aligned to remembered column widths, widened (and remembered) where a cell is
/// longer: what `kubectl get -w` prints after its first table (cli-runtime's tabwriter with
/// `RememberWidths`).
pub fn render_remembered(rows: &[Vec<String>], widths: &mut Vec<usize>) -> String {
    widen(rows, widths);
    write_rows(rows, widths, false)
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn pads_like_kubectl() {
        let rows = vec![vec!["NAME".into(), "READY".into(), "STATUS".into()], vec!["web".into(), "1/1".into(), "Running".into()]];
        assert_eq!(render(&rows), "NAME   READY   STATUS\nweb    1/1     Running\n");
    }
}
