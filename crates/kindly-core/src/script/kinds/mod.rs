//! The step kinds: each file describes one kind's keys and checks a table of them.
//!
//! A new kind is a new file here with its `KIND`, a line in `ALL`, a
//! `StepKind` variant in the session model and its events in the timeline
//! compiler. The checker, the list of keys and the schema follow from `ALL`.

mod audio;
mod bell;
mod breathe;
mod pause;
mod prompt;
mod reflect;

use super::fields::Kind;

/// Every kind, in the order the schema and `StepKind::NAMES` list them.
pub(crate) const ALL: &[&Kind] = &[
    &bell::KIND,
    &prompt::KIND,
    &pause::KIND,
    &breathe::KIND,
    &audio::KIND,
    &reflect::KIND,
];

/// The kind named `name`.
pub(crate) fn find(name: &str) -> Option<&'static Kind> {
    ALL.iter().copied().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::script::fields::Shape;
    use crate::script::{parse, Origin};

    /// A value every shape but `Flag` refuses, and one `Flag` refuses.
    fn wrong(shape: Shape) -> &'static str {
        match shape {
            Shape::Flag => "1",
            _ => "true",
        }
    }

    /// A value of `shape` that the checker accepts.
    fn right(shape: Shape) -> &'static str {
        match shape {
            Shape::Text => "\"words\"",
            Shape::File => "\"a.wav\"",
            _ => "3",
        }
    }

    /// Each key a kind lists is read and checked by that kind: a wrong value
    /// under any of them is reported at the value. A key listed but never
    /// read would pass in silence here.
    #[test]
    fn every_listed_key_is_checked() {
        for kind in super::ALL {
            for field in kind.fields {
                let mut src = format!("title = \"t\"\n[[steps]]\nkind = \"{}\"\n", kind.name);
                for other in kind
                    .fields
                    .iter()
                    .filter(|f| f.required && f.key != field.key)
                {
                    src.push_str(&format!("{} = {}\n", other.key, right(other.shape)));
                }
                let line = format!("{} = {}\n", field.key, wrong(field.shape));
                let at = src.len() + field.key.len() + 3;
                src.push_str(&line);
                let parsed = parse(
                    &src,
                    &Origin {
                        id: "t",
                        dir: Path::new("."),
                    },
                );
                assert!(
                    parsed
                        .diagnostics
                        .iter()
                        .any(|d| d.span.as_ref().is_some_and(|s| s.start == at)),
                    "`{}` of `{}` took {} unremarked: {:?}",
                    field.key,
                    kind.name,
                    wrong(field.shape),
                    parsed.diagnostics
                );
            }
        }
    }

    #[test]
    fn the_model_and_the_table_name_the_same_kinds() {
        let names: Vec<&str> = super::ALL.iter().map(|k| k.name).collect();
        assert_eq!(names, crate::session::StepKind::NAMES);
    }
}
