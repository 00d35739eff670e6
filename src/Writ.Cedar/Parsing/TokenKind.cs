namespace Writ.Cedar.Parsing;

internal enum TokenKind
{
    Eof,
    Ident,
    Number,
    String,
    Slot,
    At,
    Dot,
    Comma,
    Semi,
    Colon,
    ColonColon,
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Eq,
    NotEq,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Or,
    And,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    Assign,
    Question,
}

internal readonly record struct Token(TokenKind Kind, int Start, int End)
{
    public int Length => End - Start;
}
