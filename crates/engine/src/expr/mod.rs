//! The expression language of populations and criteria.
//!
//! Pipeline: [`parse`] (hand-written lexer and recursive descent, untyped
//! tree with byte spans) → [`check`] (names and coded values resolved, typed
//! [`Pred`]) → [`compile`] (closures over the snapshot). See
//! docs/plan-format.md for the language reference.

pub mod check;
pub mod compile;
pub mod parse;

pub use check::{Context, Event, Node, Pred, Scope, TrainingFilter, Window};
pub use compile::{Frame, PersonAt, Test};
pub use parse::{Cmp, ExprError};

/// A checked expression with its source text.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Expr {
    pub src: String,
    pub node: Node,
}

/// Parses and checks an expression; errors carry byte spans of `src`.
pub fn parse_expr(src: &str, scope: Scope) -> Result<Expr, Vec<ExprError>> {
    let ast = parse::parse(src).map_err(|e| vec![e])?;
    let node = check::check(src, &ast, scope)?;
    Ok(Expr { src: src.to_string(), node })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Scope {
        Scope { context: Context::Person, window: None }
    }

    #[test]
    fn misspelt_attribute_gets_a_suggestion() {
        let e = parse_expr("langauge_level >= 4", person()).unwrap_err();
        assert_eq!(e[0].message, "không biết thuộc tính 'langauge_level' — có phải 'language_level'?");
        assert_eq!(e[0].span, (0, 14));
    }

    #[test]
    fn all_errors_at_once() {
        let e = parse_expr("category in [civil_servent] and level == provnce and age < \"x\"", person()).unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].message.contains("có phải 'civil_servant'"));
        assert!(e[1].message.contains("có phải 'province'"));
    }

    #[test]
    fn levels_and_windows_resolve() {
        let x = parse_expr(
            "education >= dai_hoc and language_level >= 4 and completed(topic: [professional_ethics, law_update], within: last_months(24))",
            person(),
        )
        .unwrap();
        let Pred::And { items } = &x.node.pred else { panic!() };
        assert!(matches!(items[0].pred, Pred::Qual { rank: 4, .. }));
        let Pred::Completed { filter } = &items[2].pred else { panic!() };
        assert_eq!(filter.window, Window::LastMonths { months: 24 });
        assert_eq!(filter.topics.len(), 2);
        assert!(parse_expr("completed(topic: it, within: window)", person()).is_err());
        let w = Scope { context: Context::Person, window: Some(Window::ThisYear) };
        assert!(parse_expr("completed(topic: it, within: window)", w).is_ok());
        assert!(parse_expr("sex != female and not is_leader and ethnicity == khmer", person()).is_ok());
        assert!(parse_expr("council_delegate(term: \"2021-2026\") and planned_for(post: \"bo_chinh_tri\")", person()).is_ok());
        assert!(parse_expr("management_years >= 5", person()).is_err());
        assert!(parse_expr("management_years >= 5 and not guest", Scope { context: Context::Lecturer, window: None }).is_ok());
    }
}
