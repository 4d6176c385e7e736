//! Bash's integer arithmetic (`$(( ))`, `(( ))`), after bash 5.2's `expr.c`: 64-bit signed
//! integers that wrap, bash's operators and precedence, variables read with or without `$`
//! (a variable whose value is an expression is evaluated in turn), assignments, and bash's
//! error messages (`division by 0 (error token is "0")`).
//!
//! Like bash, it parses and evaluates in one pass; the branches `&&`, `||` and `?:` skip are
//! parsed with evaluation off, so they assign nothing and divide by zero harmlessly.

/// Where arithmetic reads and writes shell variables.
pub trait Vars {
    /// The variable's value; `None` when unset.
    fn get(&self, name: &str) -> Option<String>;
    /// Sets the variable.
    fn set(&mut self, name: &str, value: String);
}

/// An arithmetic error, printed by the shell as `bash: EXPR: MESSAGE (error token is "TOKEN")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArithError {
    /// The expression being evaluated (a variable's value when the error is inside it).
    pub expr: String,
    /// What went wrong, in bash's words.
    pub message: String,
    /// The rest of the expression from the token bash was looking at.
    pub token: String,
}

impl std::fmt::Display for ArithError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "bash: {}: {} (error token is \"{}\")",
            self.expr, self.message, self.token
        )
    }
}

/// How deep variables holding expressions may nest, and parentheses, unary operators and
/// assignments within one expression.
///
/// Simplified: bash allows 1024 levels of variables (`MAX_EXPR_RECURSION_LEVEL`) and does not
/// bound the others; here each is bounded together at 64 levels so a hostile expression cannot exhaust the
/// browser's stack, with bash's message for the variable case.
const MAX_RECURSION: u32 = 64;

/// Evaluates `expr`; an empty expression is 0.
pub fn evaluate(expr: &str, vars: &mut dyn Vars) -> Result<i64, ArithError> {
    evaluate_at(expr, vars, 0)
}

fn evaluate_at(expr: &str, vars: &mut dyn Vars, nesting: u32) -> Result<i64, ArithError> {
    let mut eval = Eval {
        src: expr,
        pos: 0,
        token_start: 0,
        tok: Tok::End,
        noeval: 0,
        vars,
        nesting,
    };
    eval.next()?;
    if eval.tok == Tok::End {
        return Ok(0);
    }
    let value = eval.comma()?;
    if eval.tok != Tok::End {
        return Err(eval.error("syntax error in expression"));
    }
    Ok(value)
}

/// A token of an arithmetic expression.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Num(i64),
    Name(String),
    /// An operator, by its text.
    Op(&'static str),
    End,
}

/// Operators longest first, so `**=` wins over `**` and `*`.
const OPS: &[&str] = &[
    "<<=", ">>=", "**", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "<<", ">>", "<=", ">=",
    "==", "!=", "&&", "||", "++", "--", "*", "/", "%", "+", "-", "<", ">", "&", "^", "|", "!", "~",
    "?", ":", "=", ",", "(", ")",
];

struct Eval<'a> {
    src: &'a str,
    pos: usize,
    /// Where the current token starts (bash's error token begins here).
    token_start: usize,
    tok: Tok,
    /// Above zero while parsing a branch that is not evaluated.
    noeval: u32,
    vars: &'a mut dyn Vars,
    /// How deeply the parse functions are nested right now.
    nesting: u32,
}

impl Eval<'_> {
    fn error(&self, message: &str) -> ArithError {
        ArithError {
            expr: self.src.to_string(),
            message: message.to_string(),
            token: self.src.get(self.token_start..).unwrap_or("").to_string(),
        }
    }

    /// Reads the next token into `self.tok`.
    fn next(&mut self) -> Result<(), ArithError> {
        let rest = &self.src[self.pos..];
        let trimmed = rest.trim_start();
        self.pos += rest.len() - trimmed.len();
        // At the end bash's error token stays on the last token read.
        let Some(c) = trimmed.chars().next() else {
            self.tok = Tok::End;
            return Ok(());
        };
        self.token_start = self.pos;
        if c.is_ascii_digit() {
            let len = trimmed
                .find(|ch: char| {
                    !(ch.is_ascii_alphanumeric() || ch == '#' || ch == '@' || ch == '_')
                })
                .unwrap_or(trimmed.len());
            let text = &trimmed[..len];
            self.pos += len;
            self.tok = Tok::Num(self.number(text)?);
            return Ok(());
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let len = trimmed
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(trimmed.len());
            self.tok = Tok::Name(trimmed[..len].to_string());
            self.pos += len;
            return Ok(());
        }
        for op in OPS {
            if trimmed.starts_with(op) {
                self.pos += op.len();
                self.tok = Tok::Op(op);
                return Ok(());
            }
        }
        Err(self.error("syntax error: invalid arithmetic operator"))
    }

    /// A numeric constant: decimal, `0x` hex, `0` octal or `BASE#DIGITS`.
    fn number(&self, text: &str) -> Result<i64, ArithError> {
        let (base, digits) = if let Some((base, digits)) = text.split_once('#') {
            match base.parse::<u32>() {
                Ok(b) if (2..=64).contains(&b) => (b, digits),
                _ => return Err(self.error("invalid arithmetic base")),
            }
        } else if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            (16, hex)
        } else if text.len() > 1 && text.starts_with('0') {
            (8, &text[1..])
        } else {
            (10, text)
        };
        if digits.is_empty() {
            return Err(self.error("invalid integer constant"));
        }
        let mut value: i64 = 0;
        for ch in digits.chars() {
            let digit = match ch {
                '0'..='9' => ch as u32 - '0' as u32,
                'a'..='z' => ch as u32 - 'a' as u32 + 10,
                // Up to base 36 letters of either case mean the same digit.
                'A'..='Z' if base <= 36 => ch as u32 - 'A' as u32 + 10,
                'A'..='Z' => ch as u32 - 'A' as u32 + 36,
                '@' => 62,
                '_' => 63,
                _ => return Err(self.error("invalid number")),
            };
            if digit >= base {
                return Err(self.error("value too great for base"));
            }
            value = value
                .wrapping_mul(i64::from(base))
                .wrapping_add(i64::from(digit));
        }
        Ok(value)
    }

    fn is_op(&self, op: &str) -> bool {
        self.tok
            == Tok::Op(match OPS.iter().find(|o| **o == op) {
                Some(o) => o,
                None => return false,
            })
    }

    /// `expr , expr`.
    fn comma(&mut self) -> Result<i64, ArithError> {
        let mut value = self.assign()?;
        while self.is_op(",") {
            self.next()?;
            value = self.assign()?;
        }
        Ok(value)
    }

    /// `NAME = expr` and the compound assignments; otherwise a conditional.
    fn assign(&mut self) -> Result<i64, ArithError> {
        self.nesting += 1;
        let result = self.assign_inner();
        self.nesting -= 1;
        result
    }

    fn assign_inner(&mut self) -> Result<i64, ArithError> {
        if self.nesting > MAX_RECURSION {
            return Err(self.error("expression recursion level exceeded"));
        }
        if let Tok::Name(name) = self.tok.clone() {
            // Look past the name for an assignment operator without consuming it.
            let (save_pos, save_start) = (self.pos, self.token_start);
            self.next()?;
            let op = match &self.tok {
                Tok::Op(op)
                    if matches!(
                        *op,
                        "=" | "*=" | "/=" | "%=" | "+=" | "-=" | "<<=" | ">>=" | "&=" | "^=" | "|="
                    ) =>
                {
                    Some(*op)
                }
                _ => None,
            };
            if let Some(op) = op {
                self.next()?;
                let rhs = self.assign()?;
                if self.noeval > 0 {
                    return Ok(rhs);
                }
                let value = if op == "=" {
                    rhs
                } else {
                    let current = self.variable(&name)?;
                    self.binary(&op[..op.len() - 1], current, rhs)?
                };
                self.vars.set(&name, value.to_string());
                return Ok(value);
            }
            self.pos = save_pos;
            self.token_start = save_start;
            self.tok = Tok::Name(name);
        }
        self.conditional()
    }

    /// `cond ? a : b`.
    fn conditional(&mut self) -> Result<i64, ArithError> {
        let cond = self.logical_or()?;
        if !self.is_op("?") {
            return Ok(cond);
        }
        self.next()?;
        if cond == 0 {
            self.noeval += 1;
        }
        let yes = self.comma()?;
        if cond == 0 {
            self.noeval -= 1;
        }
        if !self.is_op(":") {
            return Err(self.error("`:' expected for conditional expression"));
        }
        self.next()?;
        if cond != 0 {
            self.noeval += 1;
        }
        let no = self.conditional()?;
        if cond != 0 {
            self.noeval -= 1;
        }
        Ok(if cond != 0 { yes } else { no })
    }

    fn logical_or(&mut self) -> Result<i64, ArithError> {
        let mut value = self.logical_and()?;
        while self.is_op("||") {
            self.next()?;
            let skip = value != 0;
            if skip {
                self.noeval += 1;
            }
            let rhs = self.logical_and()?;
            if skip {
                self.noeval -= 1;
            }
            value = i64::from(value != 0 || rhs != 0);
        }
        Ok(value)
    }

    fn logical_and(&mut self) -> Result<i64, ArithError> {
        let mut value = self.binary_level(0)?;
        while self.is_op("&&") {
            self.next()?;
            let skip = value == 0;
            if skip {
                self.noeval += 1;
            }
            let rhs = self.binary_level(0)?;
            if skip {
                self.noeval -= 1;
            }
            value = i64::from(value != 0 && rhs != 0);
        }
        Ok(value)
    }

    /// The left-associative binary operators from `|` down to `* / %`, lowest first.
    fn binary_level(&mut self, level: usize) -> Result<i64, ArithError> {
        const LEVELS: &[&[&str]] = &[
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<=", ">=", "<", ">"],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level == LEVELS.len() {
            return self.power();
        }
        let mut value = self.binary_level(level + 1)?;
        while let Tok::Op(op) = self.tok {
            if !LEVELS[level].contains(&op) {
                break;
            }
            self.next()?;
            let rhs = self.binary_level(level + 1)?;
            if self.noeval > 0 {
                continue;
            }
            value = self.binary(op, value, rhs)?;
        }
        Ok(value)
    }

    /// `a ** b`, right-associative.
    fn power(&mut self) -> Result<i64, ArithError> {
        let base = self.unary()?;
        if !self.is_op("**") {
            return Ok(base);
        }
        self.next()?;
        let exponent = self.power()?;
        if self.noeval > 0 {
            return Ok(0);
        }
        self.binary("**", base, exponent)
    }

    fn unary(&mut self) -> Result<i64, ArithError> {
        self.nesting += 1;
        let result = self.unary_inner();
        self.nesting -= 1;
        result
    }

    fn unary_inner(&mut self) -> Result<i64, ArithError> {
        if self.nesting > MAX_RECURSION {
            return Err(self.error("expression recursion level exceeded"));
        }
        match self.tok.clone() {
            Tok::Op("-") => {
                self.next()?;
                Ok(self.unary()?.wrapping_neg())
            }
            Tok::Op("+") => {
                self.next()?;
                self.unary()
            }
            Tok::Op("!") => {
                self.next()?;
                Ok(i64::from(self.unary()? == 0))
            }
            Tok::Op("~") => {
                self.next()?;
                Ok(!self.unary()?)
            }
            Tok::Op(op @ ("++" | "--")) => {
                self.next()?;
                let Tok::Name(name) = self.tok.clone() else {
                    return Err(self.error("syntax error: operand expected"));
                };
                self.next()?;
                let value = self.variable(&name)?;
                let new = if op == "++" {
                    value.wrapping_add(1)
                } else {
                    value.wrapping_sub(1)
                };
                if self.noeval == 0 {
                    self.vars.set(&name, new.to_string());
                }
                Ok(new)
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<i64, ArithError> {
        match self.tok.clone() {
            Tok::Num(n) => {
                self.next()?;
                Ok(n)
            }
            Tok::Name(name) => {
                self.next()?;
                let value = self.variable(&name)?;
                if let Tok::Op(op @ ("++" | "--")) = self.tok {
                    self.next()?;
                    if self.noeval == 0 {
                        let new = if op == "++" {
                            value.wrapping_add(1)
                        } else {
                            value.wrapping_sub(1)
                        };
                        self.vars.set(&name, new.to_string());
                    }
                }
                Ok(value)
            }
            Tok::Op("(") => {
                self.next()?;
                let value = self.comma()?;
                if !self.is_op(")") {
                    return Err(self.error("missing `)'"));
                }
                self.next()?;
                Ok(value)
            }
            _ => Err(self.error("syntax error: operand expected")),
        }
    }

    /// A variable's value as a number: empty or unset is 0, anything else is evaluated as an
    /// expression of its own.
    fn variable(&mut self, name: &str) -> Result<i64, ArithError> {
        let value = self.vars.get(name).unwrap_or_default();
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = trimmed.parse::<i64>() {
            return Ok(n);
        }
        if self.nesting >= MAX_RECURSION {
            return Err(self.error("expression recursion level exceeded"));
        }
        evaluate_at(&value, self.vars, self.nesting + 1)
    }

    /// Applies a binary operator; division by zero and negative exponents are errors.
    fn binary(&self, op: &str, a: i64, b: i64) -> Result<i64, ArithError> {
        Ok(match op {
            "+" => a.wrapping_add(b),
            "-" => a.wrapping_sub(b),
            "*" => a.wrapping_mul(b),
            "/" | "%" if b == 0 => return Err(self.error("division by 0")),
            "/" => a.wrapping_div(b),
            "%" => a.wrapping_rem(b),
            "**" if b < 0 => return Err(self.error("exponent less than 0")),
            "**" => {
                let mut result: i64 = 1;
                let mut exp = b;
                let mut base = a;
                while exp > 0 {
                    if exp & 1 == 1 {
                        result = result.wrapping_mul(base);
                    }
                    base = base.wrapping_mul(base);
                    exp >>= 1;
                }
                result
            }
            "<<" => a.wrapping_shl((b & 63) as u32),
            ">>" => a.wrapping_shr((b & 63) as u32),
            "<" => i64::from(a < b),
            ">" => i64::from(a > b),
            "<=" => i64::from(a <= b),
            ">=" => i64::from(a >= b),
            "==" => i64::from(a == b),
            "!=" => i64::from(a != b),
            "&" => a & b,
            "^" => a ^ b,
            "|" => a | b,
            _ => return Err(self.error("syntax error in expression")),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    impl Vars for BTreeMap<String, String> {
        fn get(&self, name: &str) -> Option<String> {
            BTreeMap::get(self, name).cloned()
        }
        fn set(&mut self, name: &str, value: String) {
            self.insert(name.to_string(), value);
        }
    }

    fn eval(expr: &str, vars: &mut BTreeMap<String, String>) -> Result<i64, String> {
        evaluate(expr, vars).map_err(|e| e.to_string())
    }

    #[test]
    fn operators_and_precedence() {
        let mut vars = BTreeMap::new();
        for (expr, want) in [
            ("1 + 2 * 3", 7),
            ("(1 + 2) * 3", 9),
            ("2 ** 3 ** 2", 512),
            ("-2 ** 2", 4),
            ("7 / 2", 3),
            ("-7 / 2", -3),
            ("-7 % 3", -1),
            ("1 << 4 | 1", 17),
            ("5 & 3 ^ 1", 0),
            ("3 > 2 && 2 > 1", 1),
            ("0 || 0", 0),
            ("!0 + ~0", 0),
            ("1 ? 10 : 20", 10),
            ("0 ? 10 : 0 ? 20 : 30", 30),
            ("1 == 1, 5", 5),
            ("0x1f + 010 + 2#101", 44),
            ("", 0),
            ("9223372036854775807 + 1", i64::MIN),
        ] {
            assert_eq!(eval(expr, &mut vars), Ok(want), "{expr}");
        }
    }

    #[test]
    fn variables_and_assignments() {
        let mut vars = BTreeMap::new();
        vars.insert("x".to_string(), "5".to_string());
        vars.insert("e".to_string(), "x * 2".to_string());
        assert_eq!(eval("x + e", &mut vars), Ok(15));
        assert_eq!(eval("unset_var + 1", &mut vars), Ok(1));
        assert_eq!(eval("x += 2", &mut vars), Ok(7));
        assert_eq!(eval("x++", &mut vars), Ok(7));
        assert_eq!(eval("++x", &mut vars), Ok(9));
        assert_eq!(eval("y = x = 3", &mut vars), Ok(3));
        assert_eq!(vars["y"], "3");
        assert_eq!(eval("x == 3", &mut vars), Ok(1));
        // Branches not taken assign nothing and cannot divide by zero.
        assert_eq!(eval("0 && (z = 1 / 0)", &mut vars), Ok(0));
        assert_eq!(eval("1 || z++", &mut vars), Ok(1));
        assert!(!vars.contains_key("z"));
    }

    #[test]
    fn errors_in_bash_words() {
        let mut vars = BTreeMap::new();
        assert_eq!(
            eval("1/0", &mut vars).unwrap_err(),
            "bash: 1/0: division by 0 (error token is \"0\")"
        );
        assert_eq!(
            eval(" 5 % 0 ", &mut vars).unwrap_err(),
            "bash:  5 % 0 : division by 0 (error token is \"0 \")"
        );
        assert_eq!(
            eval("1 +", &mut vars).unwrap_err(),
            "bash: 1 +: syntax error: operand expected (error token is \"+\")"
        );
        assert_eq!(
            eval("2 3", &mut vars).unwrap_err(),
            "bash: 2 3: syntax error in expression (error token is \"3\")"
        );
        assert_eq!(
            eval("(1 + 2", &mut vars).unwrap_err(),
            "bash: (1 + 2: missing `)' (error token is \"2\")"
        );
        assert_eq!(
            eval("08", &mut vars).unwrap_err(),
            "bash: 08: value too great for base (error token is \"08\")"
        );
        assert_eq!(
            eval("1/0 + 3", &mut vars).unwrap_err(),
            "bash: 1/0 + 3: division by 0 (error token is \"+ 3\")"
        );
        assert_eq!(
            eval("2 ** -1", &mut vars).unwrap_err(),
            "bash: 2 ** -1: exponent less than 0 (error token is \"1\")"
        );
        vars.insert("loop".to_string(), "loop".to_string());
        assert!(eval("loop", &mut vars)
            .unwrap_err()
            .contains("expression recursion level exceeded"));
        let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(eval(&deep, &mut vars)
            .unwrap_err()
            .contains("expression recursion level exceeded"));
        assert!(eval(&"-".repeat(5000), &mut vars).is_err());
    }
}
