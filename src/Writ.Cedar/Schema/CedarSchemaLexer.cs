using System.Globalization;
using System.Text;
using Writ.Cedar.Values;

namespace Writ.Cedar.Schema;

internal enum SchemaTokenKind
{
    Identifier,
    String,
    Number,
    Punct,
    End,
}

internal readonly record struct SchemaToken(SchemaTokenKind Kind, string Text, int Line, int Column);

/// <summary>Splits human-format schema text into tokens, skipping whitespace and <c>//</c> comments.</summary>
internal sealed class CedarSchemaLexer
{
    private readonly string _src;
    private int _pos;
    private int _line = 1;
    private int _col = 1;

    public CedarSchemaLexer(string src) => _src = src;

    public List<SchemaToken> Tokenize()
    {
        RejectUnpairedSurrogates();
        var tokens = new List<SchemaToken>();
        while (true)
        {
            SkipTrivia();
            if (_pos >= _src.Length)
            {
                tokens.Add(new SchemaToken(SchemaTokenKind.End, string.Empty, _line, _col));
                return tokens;
            }

            var line = _line;
            var col = _col;
            var c = _src[_pos];
            if (CedarText.IsIdentStart(c))
            {
                var start = _pos;
                while (_pos < _src.Length && CedarText.IsIdentPart(_src[_pos]))
                {
                    Advance();
                }

                tokens.Add(new SchemaToken(SchemaTokenKind.Identifier, _src[start.._pos], line, col));
            }
            else if (c is >= '0' and <= '9')
            {
                var start = _pos;
                while (_pos < _src.Length && _src[_pos] is >= '0' and <= '9')
                {
                    Advance();
                }

                tokens.Add(new SchemaToken(SchemaTokenKind.Number, _src[start.._pos], line, col));
            }
            else if (c == '"')
            {
                tokens.Add(new SchemaToken(SchemaTokenKind.String, ReadString(line, col), line, col));
            }
            else if (c == ':' && _pos + 1 < _src.Length && _src[_pos + 1] == ':')
            {
                Advance();
                Advance();
                tokens.Add(new SchemaToken(SchemaTokenKind.Punct, "::", line, col));
            }
            else if (",;:{}[]<>=?@()".Contains(c, StringComparison.Ordinal))
            {
                Advance();
                tokens.Add(new SchemaToken(SchemaTokenKind.Punct, c.ToString(), line, col));
            }
            else
            {
                throw new SchemaParseException($"unexpected character '{c}'", _src, line, col);
            }
        }
    }

    /// <summary>Text must be Unicode: an unpaired surrogate cannot be any character of a schema.</summary>
    private void RejectUnpairedSurrogates()
    {
        var line = 1;
        var col = 1;
        for (var i = 0; i < _src.Length; i++)
        {
            var c = _src[i];
            if (char.IsHighSurrogate(c) && i + 1 < _src.Length && char.IsLowSurrogate(_src[i + 1]))
            {
                i++;
                col += 2;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw new SchemaParseException("invalid text: unpaired UTF-16 surrogate", _src, line, col);
            }

            if (c == '\n')
            {
                line++;
                col = 1;
            }
            else
            {
                col++;
            }
        }
    }

    private void Advance()
    {
        if (_src[_pos] == '\n')
        {
            _line++;
            _col = 1;
        }
        else
        {
            _col++;
        }

        _pos++;
    }

    private void SkipTrivia()
    {
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            if (char.IsWhiteSpace(c))
            {
                Advance();
            }
            else if (c == '/' && _pos + 1 < _src.Length && _src[_pos + 1] == '/')
            {
                while (_pos < _src.Length && _src[_pos] != '\n' && _src[_pos] != '\r')
                {
                    Advance();
                }
            }
            else
            {
                return;
            }
        }
    }

    private string ReadString(int line, int col)
    {
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _src.Length)
            {
                throw new SchemaParseException("unterminated string literal", _src, line, col);
            }

            var c = _src[_pos];
            if (c == '"')
            {
                Advance();
                return sb.ToString();
            }

            if (c != '\\')
            {
                sb.Append(c);
                Advance();
                continue;
            }

            var escLine = _line;
            var escCol = _col;
            Advance();
            if (_pos >= _src.Length)
            {
                throw new SchemaParseException("unterminated string literal", _src, line, col);
            }

            var e = _src[_pos];
            Advance();
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '0': sb.Append('\0'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'u':
                    sb.Append(ReadUnicodeEscape(escLine, escCol));
                    break;
                default:
                    throw new SchemaParseException($"invalid escape '\\{e}' in string literal", _src, escLine, escCol);
            }
        }
    }

    private string ReadUnicodeEscape(int line, int col)
    {
        if (_pos >= _src.Length || _src[_pos] != '{')
        {
            throw new SchemaParseException("invalid unicode escape: expected '{'", _src, line, col);
        }

        Advance();
        var start = _pos;
        while (_pos < _src.Length && Uri.IsHexDigit(_src[_pos]) && _pos - start < 7)
        {
            Advance();
        }

        var hex = _src[start.._pos];
        if (_pos >= _src.Length || _src[_pos] != '}' || hex.Length is 0 or > 6)
        {
            throw new SchemaParseException("invalid unicode escape", _src, line, col);
        }

        Advance();
        var code = int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
        {
            throw new SchemaParseException($"invalid unicode escape: {hex} is not a Unicode scalar value", _src, line, col);
        }

        return char.ConvertFromUtf32(code);
    }
}
