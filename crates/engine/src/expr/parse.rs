//! Hand-written lexer and recursive-descent parser for population and
//! criterion expressions. Produces an untyped AST with byte spans; names and
//! values are checked against the attribute table in `check`.

/// A byte range in the expression text.
pub type Span = (usize, usize);

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    Num(i64),
    LParen,
    RParen,
    LBrack,
    RBrack,
    Comma,
    Colon,
    Op(Cmp),
    And,
    Or,
    Not,
    In,
    Within,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    pub fn test<T: Ord>(self, a: T, b: T) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

/// An error at a byte span of the expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub span: Span,
    pub message: String,
}

fn err<T>(span: Span, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError { span, message: message.into() })
}

pub fn lex(src: &str) -> Result<Vec<(Tok, Span)>, ExprError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let single = match c {
            b'(' => Some(Tok::LParen),
            b')' => Some(Tok::RParen),
            b'[' => Some(Tok::LBrack),
            b']' => Some(Tok::RBrack),
            b',' => Some(Tok::Comma),
            b':' => Some(Tok::Colon),
            _ => None,
        };
        if let Some(t) = single {
            out.push((t, (i, i + 1)));
            i += 1;
            continue;
        }
        match c {
            b'=' | b'!' | b'<' | b'>' => {
                let two = b.get(i + 1) == Some(&b'=');
                let op = match (c, two) {
                    (b'=', true) => Tok::Op(Cmp::Eq),
                    (b'!', true) => Tok::Op(Cmp::Ne),
                    (b'<', true) => Tok::Op(Cmp::Le),
                    (b'>', true) => Tok::Op(Cmp::Ge),
                    (b'<', false) => Tok::Op(Cmp::Lt),
                    (b'>', false) => Tok::Op(Cmp::Gt),
                    (b'=', false) => return err((i, i + 1), "dùng '==' để so sánh bằng, không dùng '='"),
                    _ => Tok::Not,
                };
                let len = if two { 2 } else { 1 };
                out.push((op, (i, i + len)));
                i += len;
            }
            b'&' | b'|' => {
                if b.get(i + 1) == Some(&c) {
                    out.push((if c == b'&' { Tok::And } else { Tok::Or }, (i, i + 2)));
                    i += 2;
                } else {
                    return err((i, i + 1), format!("ký tự '{}' không hợp lệ; dùng 'and' / 'or'", c as char));
                }
            }
            b'"' | b'\'' => {
                let quote = c;
                i += 1;
                let s = i;
                while i < b.len() && b[i] != quote {
                    i += 1;
                }
                if i >= b.len() {
                    return err((start, b.len()), "chuỗi chưa được đóng bằng dấu nháy");
                }
                out.push((Tok::Str(src[s..i].to_string()), (start, i + 1)));
                i += 1;
            }
            b'0'..=b'9' | b'-' => {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let text = &src[start..i];
                match text.parse::<i64>() {
                    Ok(n) => out.push((Tok::Num(n), (start, i))),
                    Err(_) => return err((start, i), format!("số '{text}' không hợp lệ")),
                }
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                    i += 1;
                }
                let word = &src[start..i];
                let t = match word {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => Tok::Not,
                    "in" => Tok::In,
                    "within" => Tok::Within,
                    _ => Tok::Ident(word.to_string()),
                };
                out.push((t, (start, i)));
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                let end = i + ch.len_utf8();
                let msg = if ch.is_alphabetic() {
                    format!("ký tự '{ch}' không dùng được trong tên; tên thuộc tính và mã viết không dấu (ví dụ 'dai_hoc'), văn bản có dấu đặt trong dấu nháy")
                } else {
                    format!("ký tự '{ch}' không hợp lệ")
                };
                return err((i, end), msg);
            }
        }
    }
    out.push((Tok::End, (b.len(), b.len())));
    Ok(out)
}

/// Untyped expression tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    And(Vec<Ast>, Span),
    Or(Vec<Ast>, Span),
    Not(Box<Ast>, Span),
    Atom(Atom),
}

impl Ast {
    pub fn span(&self) -> Span {
        match self {
            Ast::And(_, s) | Ast::Or(_, s) | Ast::Not(_, s) => *s,
            Ast::Atom(a) => a.span,
        }
    }
}

/// `name`, `name(args)`, optionally followed by a test: `op value`,
/// `in [list]` or `within value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    pub name: String,
    pub name_span: Span,
    pub args: Option<Vec<Arg>>,
    pub test: Option<Test>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Cmp(Cmp, Value),
    In(Value),
    Within(Value),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub key: Option<(String, Span)>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Ident(String, Span),
    Str(String, Span),
    Num(i64, Span),
    List(Vec<Value>, Span),
    Call(String, Vec<Arg>, Span),
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Ident(_, s) | Value::Str(_, s) | Value::Num(_, s) | Value::List(_, s) | Value::Call(_, _, s) => *s,
        }
    }

    /// The value as written, for messages.
    pub fn describe(&self) -> String {
        match self {
            Value::Ident(s, _) => s.clone(),
            Value::Str(s, _) => format!("\"{s}\""),
            Value::Num(n, _) => n.to_string(),
            Value::List(..) => "[…]".into(),
            Value::Call(n, _, _) => format!("{n}(…)"),
        }
    }
}

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("'{s}'"),
        Tok::Str(s) => format!("chuỗi \"{s}\""),
        Tok::Num(n) => format!("số {n}"),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::LBrack => "'['".into(),
        Tok::RBrack => "']'".into(),
        Tok::Comma => "','".into(),
        Tok::Colon => "':'".into(),
        Tok::Op(c) => format!("'{}'", c.symbol()),
        Tok::And => "'and'".into(),
        Tok::Or => "'or'".into(),
        Tok::Not => "'not'".into(),
        Tok::In => "'in'".into(),
        Tok::Within => "'within'".into(),
        Tok::End => "cuối biểu thức".into(),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn span(&self) -> Span {
        self.toks[self.pos].1
    }
    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn expect(&mut self, want: Tok, what: &str) -> Result<Span, ExprError> {
        if *self.peek() == want {
            Ok(self.bump().1)
        } else {
            err(self.span(), format!("thiếu {what}, gặp {}", describe(self.peek())))
        }
    }

    fn or(&mut self) -> Result<Ast, ExprError> {
        let first = self.and()?;
        if *self.peek() != Tok::Or {
            return Ok(first);
        }
        let start = first.span().0;
        let mut items = vec![first];
        while *self.peek() == Tok::Or {
            self.bump();
            items.push(self.and()?);
        }
        let end = items.last().map(|a| a.span().1).unwrap_or(start);
        Ok(Ast::Or(items, (start, end)))
    }

    fn and(&mut self) -> Result<Ast, ExprError> {
        let first = self.unary()?;
        if *self.peek() != Tok::And {
            return Ok(first);
        }
        let start = first.span().0;
        let mut items = vec![first];
        while *self.peek() == Tok::And {
            self.bump();
            items.push(self.unary()?);
        }
        let end = items.last().map(|a| a.span().1).unwrap_or(start);
        Ok(Ast::And(items, (start, end)))
    }

    fn unary(&mut self) -> Result<Ast, ExprError> {
        match self.peek() {
            Tok::Not => {
                let (_, s) = self.bump();
                let inner = self.unary()?;
                let end = inner.span().1;
                Ok(Ast::Not(Box::new(inner), (s.0, end)))
            }
            Tok::LParen => {
                self.bump();
                let inner = self.or()?;
                self.expect(Tok::RParen, "dấu ')'")?;
                Ok(inner)
            }
            Tok::Ident(_) => self.atom().map(Ast::Atom),
            other => err(self.span(), format!("mong đợi một thuộc tính hoặc '(' , gặp {}", describe(other))),
        }
    }

    fn atom(&mut self) -> Result<Atom, ExprError> {
        let (Tok::Ident(name), name_span) = self.bump() else { unreachable!("checked by caller") };
        let mut end = name_span.1;
        let args = if *self.peek() == Tok::LParen {
            let (args, s) = self.args()?;
            end = s.1;
            Some(args)
        } else {
            None
        };
        let test = match self.peek().clone() {
            Tok::Op(c) => {
                self.bump();
                let v = self.value()?;
                end = v.span().1;
                Some(Test::Cmp(c, v))
            }
            Tok::In => {
                self.bump();
                let v = self.value()?;
                end = v.span().1;
                Some(Test::In(v))
            }
            Tok::Within => {
                self.bump();
                let v = self.value()?;
                end = v.span().1;
                Some(Test::Within(v))
            }
            _ => None,
        };
        Ok(Atom { name, name_span, args, test, span: (name_span.0, end) })
    }

    /// `( [key:] value, ... )`, returning the span up to the closing paren.
    fn args(&mut self) -> Result<(Vec<Arg>, Span), ExprError> {
        let (_, open) = self.bump();
        let mut args = Vec::new();
        if *self.peek() == Tok::RParen {
            let (_, close) = self.bump();
            return Ok((args, (open.0, close.1)));
        }
        loop {
            let key = match (self.peek().clone(), self.toks.get(self.pos + 1).map(|t| &t.0)) {
                (Tok::Within, Some(Tok::Colon)) => {
                    let (_, s) = self.bump();
                    self.bump();
                    Some(("within".to_string(), s))
                }
                (Tok::Ident(k), Some(Tok::Colon)) => {
                    let (_, s) = self.bump();
                    self.bump();
                    Some((k, s))
                }
                _ => None,
            };
            let value = self.value()?;
            args.push(Arg { key, value });
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => {
                    let (_, close) = self.bump();
                    return Ok((args, (open.0, close.1)));
                }
                other => return err(self.span(), format!("thiếu ',' hoặc ')', gặp {}", describe(other))),
            }
        }
    }

    fn value(&mut self) -> Result<Value, ExprError> {
        match self.peek().clone() {
            Tok::Ident(name) => {
                let (_, s) = self.bump();
                if *self.peek() == Tok::LParen {
                    let (args, a) = self.args()?;
                    Ok(Value::Call(name, args, (s.0, a.1)))
                } else {
                    Ok(Value::Ident(name, s))
                }
            }
            Tok::Str(v) => {
                let (_, s) = self.bump();
                Ok(Value::Str(v, s))
            }
            Tok::Num(n) => {
                let (_, s) = self.bump();
                Ok(Value::Num(n, s))
            }
            Tok::LBrack => {
                let (_, open) = self.bump();
                let mut items = Vec::new();
                if *self.peek() != Tok::RBrack {
                    loop {
                        items.push(self.value()?);
                        match self.peek() {
                            Tok::Comma => {
                                self.bump();
                                if *self.peek() == Tok::RBrack {
                                    break;
                                }
                            }
                            Tok::RBrack => break,
                            other => return err(self.span(), format!("thiếu ',' hoặc ']', gặp {}", describe(other))),
                        }
                    }
                }
                let close = self.expect(Tok::RBrack, "dấu ']'")?;
                Ok(Value::List(items, (open.0, close.1)))
            }
            other => err(self.span(), format!("mong đợi một giá trị, gặp {}", describe(&other))),
        }
    }
}

/// Parses an expression into its untyped tree.
pub fn parse(src: &str) -> Result<Ast, ExprError> {
    let toks = lex(src)?;
    let mut p = Parser { toks, pos: 0 };
    if *p.peek() == Tok::End {
        return err((0, src.len()), "biểu thức rỗng");
    }
    let ast = p.or()?;
    if *p.peek() != Tok::End {
        return err(p.span(), format!("thừa {} sau biểu thức; thiếu 'and' / 'or'?", describe(p.peek())));
    }
    Ok(ast)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_precedence_and_calls() {
        let a = parse("category in [cadre, civil_servant] and age < 40 or not is_leader").unwrap();
        let Ast::Or(items, _) = a else { panic!("or at the top") };
        assert_eq!(items.len(), 2);
        assert!(matches!(items[0], Ast::And(..)));
        assert!(matches!(items[1], Ast::Not(..)));
        let c = parse("completed(programme: \"BD-QLNN-CVC\", within: months_after(appointment, 24))").unwrap();
        let Ast::Atom(at) = c else { panic!() };
        let args = at.args.unwrap();
        assert_eq!(args.len(), 2);
        assert!(matches!(&args[1].value, Value::Call(n, a, _) if n == "months_after" && a.len() == 2));
    }

    #[test]
    fn reports_positions() {
        let e = parse("age < 40 and (level == province").unwrap_err();
        assert!(e.message.contains("')'"), "{}", e.message);
        let e = parse("age = 40").unwrap_err();
        assert_eq!(e.span.0, 4);
        assert!(parse("").is_err());
        assert!(parse("age < 40 level").is_err());
    }
}
