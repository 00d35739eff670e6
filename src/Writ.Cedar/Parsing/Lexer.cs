namespace Writ.Cedar.Parsing;

/// <summary>Splits Cedar text into tokens; whitespace and <c>//</c> comments are skipped.</summary>
internal sealed class Lexer(string source)
{
    private int _pos;

    public Token Next()
    {
        SkipTrivia();
        if (_pos >= source.Length)
        {
            return new Token(TokenKind.Eof, source.Length, source.Length);
        }

        var start = _pos;
        var c = source[_pos];
        if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_')
        {
            _pos++;
            while (_pos < source.Length && IsIdentPart(source[_pos]))
            {
                _pos++;
            }

            return new Token(TokenKind.Ident, start, _pos);
        }

        if (c is >= '0' and <= '9')
        {
            while (_pos < source.Length && source[_pos] is >= '0' and <= '9')
            {
                _pos++;
            }

            return new Token(TokenKind.Number, start, _pos);
        }

        if (c == '"')
        {
            return LexString(start);
        }

        if (c == '?')
        {
            _pos++;
            if (_pos < source.Length && source[_pos] is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_')
            {
                while (_pos < source.Length && IsIdentPart(source[_pos]))
                {
                    _pos++;
                }

                return new Token(TokenKind.Slot, start, _pos);
            }

            return new Token(TokenKind.Question, start, _pos);
        }

        _pos++;
        var next = _pos < source.Length ? source[_pos] : '\0';
        TokenKind kind;
        switch (c)
        {
            case '@': kind = TokenKind.At; break;
            case '.': kind = TokenKind.Dot; break;
            case ',': kind = TokenKind.Comma; break;
            case ';': kind = TokenKind.Semi; break;
            case ':':
                kind = next == ':' ? TokenKind.ColonColon : TokenKind.Colon;
                break;
            case '(': kind = TokenKind.LParen; break;
            case ')': kind = TokenKind.RParen; break;
            case '{': kind = TokenKind.LBrace; break;
            case '}': kind = TokenKind.RBrace; break;
            case '[': kind = TokenKind.LBracket; break;
            case ']': kind = TokenKind.RBracket; break;
            case '=':
                kind = next == '=' ? TokenKind.Eq : TokenKind.Assign;
                break;
            case '!':
                kind = next == '=' ? TokenKind.NotEq : TokenKind.Bang;
                break;
            case '<':
                kind = next == '=' ? TokenKind.LessEq : TokenKind.Less;
                break;
            case '>':
                kind = next == '=' ? TokenKind.GreaterEq : TokenKind.Greater;
                break;
            case '|':
                if (next != '|')
                {
                    throw new CedarParseException("unexpected character '|'", source, start);
                }

                kind = TokenKind.Or;
                break;
            case '&':
                if (next != '&')
                {
                    throw new CedarParseException("unexpected character '&'", source, start);
                }

                kind = TokenKind.And;
                break;
            case '+': kind = TokenKind.Plus; break;
            case '-': kind = TokenKind.Minus; break;
            case '*': kind = TokenKind.Star; break;
            case '/': kind = TokenKind.Slash; break;
            case '%': kind = TokenKind.Percent; break;
            default:
                throw new CedarParseException($"unexpected character {Describe(c)}", source, start);
        }

        if (kind is TokenKind.ColonColon or TokenKind.Eq or TokenKind.NotEq or TokenKind.LessEq or TokenKind.GreaterEq or TokenKind.Or or TokenKind.And)
        {
            _pos++;
        }

        return new Token(kind, start, _pos);
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";

    private static bool IsIdentPart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    private Token LexString(int start)
    {
        _pos++;
        while (true)
        {
            if (_pos >= source.Length)
            {
                throw new CedarParseException("unterminated string literal", source, start);
            }

            var c = source[_pos];
            if (c == '"')
            {
                _pos++;
                return new Token(TokenKind.String, start, _pos);
            }

            if (char.IsSurrogate(c))
            {
                CheckSurrogatePair(_pos);
                _pos += 2;
                continue;
            }

            if (c == '\\')
            {
                // An escape covers the next character, which may not be a line feed.
                if (_pos + 1 >= source.Length || source[_pos + 1] == '\n')
                {
                    throw new CedarParseException("unterminated string literal", source, start);
                }

                _pos += 2;
                continue;
            }

            _pos++;
        }
    }

    private void CheckSurrogatePair(int at)
    {
        if (!char.IsHighSurrogate(source[at]) || at + 1 >= source.Length || !char.IsLowSurrogate(source[at + 1]))
        {
            throw new CedarParseException("invalid Unicode: unpaired surrogate", source, at);
        }
    }

    private void SkipTrivia()
    {
        while (_pos < source.Length)
        {
            var c = source[_pos];
            if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < source.Length && source[_pos + 1] == '/')
            {
                while (_pos < source.Length && source[_pos] is not ('\n' or '\r'))
                {
                    if (char.IsSurrogate(source[_pos]))
                    {
                        CheckSurrogatePair(_pos);
                        _pos++;
                    }

                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }
}
