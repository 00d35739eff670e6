using System.Globalization;
using System.Runtime.CompilerServices;
using Writ.Cedar.Ast;
using Writ.Cedar.Extensions;
using Writ.Cedar.Values;

namespace Writ.Cedar.Parsing;

/// <summary>Recursive-descent parser for Cedar policy text, following the Cedar grammar and its checks.</summary>
internal sealed class Parser
{
    private static readonly HashSet<string> BuiltinMethods = new(StringComparer.Ordinal)
    {
        "contains", "containsAll", "containsAny", "isEmpty", "getTag", "hasTag",
    };

    private readonly string _src;
    private readonly ParserOptions _options;
    private readonly List<int> _lineStarts = [0];

    // Entity types of one-segment names, shared by every literal that names them.
    private readonly Dictionary<string, EntityType> _types = new(StringComparer.Ordinal);

    // Tokens are lexed on demand with one token of lookahead, so a megabyte of policies does not hold a token array.
    private readonly Lexer _lexer;

    // Without a '?' anywhere there are no template slots, and condition bodies need no slot check.
    private readonly bool _hasSlots;
    private Token _cur;
    private Token _prev;
    private Token _peek;
    private bool _hasPeek;
    private int _depth;
    private int _lastLine;

    public Parser(string source, ParserOptions options)
    {
        _src = source;
        _options = options;
        if (source.Length > options.MaxSourceLength)
        {
            throw new CedarParseException($"policy text is {source.Length} characters, more than the limit of {options.MaxSourceLength}");
        }

        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }

        _hasSlots = source.Contains('?', StringComparison.Ordinal);
        _lexer = new Lexer(source);
        _cur = _lexer.Next();
        _prev = _cur;
    }

    private Token Cur => _cur;

    /// <summary>The token after <see cref="Cur"/> (end of input stays end of input).</summary>
    private Token Peek()
    {
        if (!_hasPeek)
        {
            _peek = _cur.Kind == TokenKind.Eof ? _cur : _lexer.Next();
            _hasPeek = true;
        }

        return _peek;
    }

    public List<Policy> ParsePolicies()
    {
        var policies = new List<Policy>();
        while (Cur.Kind != TokenKind.Eof)
        {
            if (policies.Count >= _options.MaxPolicies)
            {
                throw Error($"more than {_options.MaxPolicies} policies", Cur);
            }

            policies.Add(ParsePolicy(string.Create(CultureInfo.InvariantCulture, $"policy{policies.Count}")));
        }

        return policies;
    }

    public Policy ParseSinglePolicy(string id)
    {
        var p = ParsePolicy(id);
        Expect(TokenKind.Eof, "end of input");
        return p;
    }

    public Expr ParseStandaloneExpr()
    {
        var e = ParseExpr();
        Expect(TokenKind.Eof, "end of input");
        return e;
    }

    public EntityUid ParseStandaloneEntityUid()
    {
        var start = Cur;
        var e = ParseExpr();
        Expect(TokenKind.Eof, "end of input");
        return e is LiteralExpr { Value: EntityUid uid } ? uid : throw Error("expected an entity reference such as Type::\"id\"", start);
    }

    public EntityType ParseStandaloneName()
    {
        var path = ParsePath(allowReserved: false);
        Expect(TokenKind.Eof, "end of input");
        return new EntityType(string.Join("::", path));
    }

    private Policy ParsePolicy(string id)
    {
        var start = Cur;
        // Most policies have no annotations, and many no conditions: those share the empty list.
        List<Annotation>? annotations = null;
        while (Cur.Kind == TokenKind.At)
        {
            var at = Advance();
            var keyTok = Expect(TokenKind.Ident, "annotation name");
            var key = Text(keyTok);
            string? value = null;
            if (Cur.Kind == TokenKind.LParen)
            {
                Advance();
                var strTok = Expect(TokenKind.String, "annotation value string");
                value = UnescapeString(strTok);
                Expect(TokenKind.RParen, "')'");
            }

            if (annotations is not null && annotations.Exists(a => a.Key == key))
            {
                throw Error($"duplicate annotation @{key}", keyTok);
            }

            (annotations ??= []).Add(new Annotation(key, value, SpanOf(at, _prev)));
        }

        var effectTok = Expect(TokenKind.Ident, "'permit' or 'forbid'");
        var effect = Text(effectTok) switch
        {
            "permit" => Effect.Permit,
            "forbid" => Effect.Forbid,
            var other => throw Error($"expected 'permit' or 'forbid', found '{other}'", effectTok),
        };
        Expect(TokenKind.LParen, "'('");
        var principal = ParseScope("principal", SlotId.Principal);
        Expect(TokenKind.Comma, "',' after the principal scope");
        var action = ParseActionScope();
        Expect(TokenKind.Comma, "',' after the action scope");
        var resource = ParseScope("resource", SlotId.Resource);
        if (Cur.Kind == TokenKind.Comma)
        {
            Advance();
            if (Cur.Kind != TokenKind.RParen)
            {
                throw Error("a policy scope has exactly three parts: principal, action, resource", Cur);
            }
        }

        Expect(TokenKind.RParen, "')' after the resource scope");
        List<Condition>? conditions = null;
        while (Cur.Kind == TokenKind.Ident)
        {
            var kwTok = Advance();
            var kind = Text(kwTok) switch
            {
                "when" => ConditionKind.When,
                "unless" => ConditionKind.Unless,
                var other => throw Error($"expected 'when' or 'unless', found '{other}'", kwTok),
            };
            Expect(TokenKind.LBrace, "'{'");
            if (Cur.Kind == TokenKind.RBrace)
            {
                throw Error("a condition must not be empty", Cur);
            }

            var body = ParseExpr();
            if (_hasSlots)
            {
                CheckNoSlots(body);
            }
            var close = Expect(TokenKind.RBrace, "'}'");
            (conditions ??= []).Add(new Condition(kind, body, SpanOf(kwTok, close)));
        }

        var end = Expect(TokenKind.Semi, "';' at the end of the policy");
        return new Policy(id, effect, principal, action, resource, (IReadOnlyList<Condition>?)conditions ?? [], (IReadOnlyList<Annotation>?)annotations ?? [], SpanOf(start, end));
    }

    private void CheckNoSlots(Expr body)
    {
        if (ExprTree.FindSlot(body) is { } slot)
        {
            throw new CedarParseException("template slots are only allowed in the policy scope", _src, slot.Span.Start);
        }
    }

    private ScopeConstraint ParseScope(string var, SlotId slot)
    {
        var varTok = Expect(TokenKind.Ident, var == "principal" ? "'principal'" : "'resource'");
        if (!TextIs(varTok, var))
        {
            throw Error($"expected '{var}', found '{Text(varTok)}'", varTok);
        }

        if (Cur.Kind == TokenKind.Colon)
        {
            throw Error("type annotations on scope variables are not supported; use 'is'", Cur);
        }

        if (IsKeyword("is"))
        {
            Advance();
            var path = ParsePath(allowReserved: false);
            var type = new EntityType(string.Join("::", path));
            if (IsKeyword("in"))
            {
                Advance();
                var (uid, s) = ParseScopeOperand(slot);
                return new ScopeConstraint(ScopeKind.IsIn, uid, s, type, SpanOf(varTok, _prev));
            }

            return new ScopeConstraint(ScopeKind.Is, null, null, type, SpanOf(varTok, _prev));
        }

        ScopeKind kind;
        if (Cur.Kind == TokenKind.Eq)
        {
            kind = ScopeKind.Eq;
        }
        else if (IsKeyword("in"))
        {
            kind = ScopeKind.In;
        }
        else if (Cur.Kind is TokenKind.Comma or TokenKind.RParen)
        {
            return new ScopeConstraint(ScopeKind.Any, null, null, null, SpanOf(varTok, varTok));
        }
        else if (Cur.Kind == TokenKind.Assign)
        {
            throw Error("'=' is not an operator; use '=='", Cur);
        }
        else
        {
            throw Error($"expected '==', 'in' or 'is' after '{var}'", Cur);
        }

        Advance();
        var (entity, slotValue) = ParseScopeOperand(slot);
        if (kind == ScopeKind.In && IsKeyword("is"))
        {
            throw Error($"'{var} in E is T' is not allowed; write '{var} is T in E'", Cur);
        }

        return new ScopeConstraint(kind, entity, slotValue, null, SpanOf(varTok, _prev));
    }

    private (EntityUid? Uid, SlotId? Slot) ParseScopeOperand(SlotId allowed)
    {
        if (Cur.Kind == TokenKind.Slot)
        {
            var t = Advance();
            var name = Text(t);
            var expected = allowed == SlotId.Principal ? "?principal" : "?resource";
            if (name != expected)
            {
                throw Error(name is "?principal" or "?resource"
                    ? $"{name} is not allowed here; expected {expected}"
                    : $"unknown template slot {name}", t);
            }

            return (null, allowed);
        }

        if (Cur.Kind == TokenKind.LBracket)
        {
            throw Error("a set of entities is only allowed in the action scope", Cur);
        }

        return (ParseEntityUidLiteral(), null);
    }

    private ActionConstraint ParseActionScope()
    {
        var varTok = Expect(TokenKind.Ident, "'action'");
        if (!TextIs(varTok, "action"))
        {
            throw Error($"expected 'action', found '{Text(varTok)}'", varTok);
        }

        if (Cur.Kind == TokenKind.Colon)
        {
            throw Error("type annotations on scope variables are not supported", Cur);
        }

        if (IsKeyword("is"))
        {
            throw Error("'is' is not allowed in the action scope", Cur);
        }

        if (Cur.Kind is TokenKind.Comma or TokenKind.RParen)
        {
            return new ActionConstraint(ActionScopeKind.Any, [], SpanOf(varTok, varTok));
        }

        ActionConstraint result;
        if (Cur.Kind == TokenKind.Eq)
        {
            Advance();
            var uid = ParseActionUid();
            result = new ActionConstraint(ActionScopeKind.Eq, [uid], SpanOf(varTok, _prev));
        }
        else if (IsKeyword("in"))
        {
            Advance();
            if (Cur.Kind == TokenKind.LBracket)
            {
                Advance();
                var list = new List<EntityUid>();
                while (Cur.Kind != TokenKind.RBracket)
                {
                    list.Add(ParseActionUid());
                    if (Cur.Kind == TokenKind.Comma)
                    {
                        Advance();
                    }
                    else
                    {
                        break;
                    }
                }

                Expect(TokenKind.RBracket, "']'");
                result = new ActionConstraint(ActionScopeKind.InList, list, SpanOf(varTok, _prev));
            }
            else
            {
                var uid = ParseActionUid();
                result = new ActionConstraint(ActionScopeKind.In, [uid], SpanOf(varTok, _prev));
            }

            if (IsKeyword("is"))
            {
                throw Error("'is' is not allowed in the action scope", Cur);
            }
        }
        else if (Cur.Kind == TokenKind.Assign)
        {
            throw Error("'=' is not an operator; use '=='", Cur);
        }
        else
        {
            throw Error("expected '==' or 'in' after 'action'", Cur);
        }

        return result;
    }

    private EntityUid ParseActionUid()
    {
        var start = Cur;
        if (Cur.Kind == TokenKind.Slot)
        {
            throw Error("template slots are not allowed in the action scope", Cur);
        }

        var uid = ParseEntityUidLiteral();
        if (!uid.Type.IsAction)
        {
            throw Error($"expected an action entity (type Action or NS::Action), found {uid}", start);
        }

        return uid;
    }

    private EntityUid ParseEntityUidLiteral()
    {
        var start = Cur;
        if (Cur.Kind != TokenKind.Ident)
        {
            throw Error("expected an entity reference such as Type::\"id\"", Cur);
        }

        Advance();
        EntityType type;
        if (Cur.Kind == TokenKind.ColonColon && Peek().Kind == TokenKind.String)
        {
            type = InternType(start);
        }
        else
        {
            var path = ParsePathFrom(start, allowReserved: false, stopBeforeString: true);
            if (Cur.Kind != TokenKind.ColonColon || Peek().Kind != TokenKind.String)
            {
                throw Error("expected an entity reference such as Type::\"id\"", start);
            }

            type = new EntityType(string.Join("::", path));
        }

        Advance();
        var id = UnescapeString(Advance());
        return new EntityUid(type, id);
    }

    private EntityType InternType(Token name)
    {
        if (_types.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(_src.AsSpan(name.Start, name.Length), out var type))
        {
            return type;
        }

        var text = CheckSegment(name, allowReserved: false);
        type = new EntityType(text);
        _types.Add(text, type);
        return type;
    }

    /// <summary>Parses <c>A::B::C</c>; with <paramref name="stopBeforeString"/> it stops before a trailing <c>::"id"</c>.</summary>
    private List<string> ParsePath(bool allowReserved, bool stopBeforeString = false) =>
        ParsePathFrom(Expect(TokenKind.Ident, "a name"), allowReserved, stopBeforeString);

    /// <summary>Like <see cref="ParsePath"/>, with the first segment already consumed.</summary>
    private List<string> ParsePathFrom(Token first, bool allowReserved, bool stopBeforeString)
    {
        var path = new List<string> { CheckSegment(first, allowReserved) };
        while (Cur.Kind == TokenKind.ColonColon && Peek().Kind == TokenKind.Ident)
        {
            Advance();
            path.Add(CheckSegment(Advance(), allowReserved));
        }

        if (!stopBeforeString && Cur.Kind == TokenKind.ColonColon)
        {
            throw Error("expected a name after '::'", Peek());
        }

        return path;
    }

    private string CheckSegment(Token t, bool allowReserved)
    {
        var s = Text(t);
        if (!allowReserved && CedarText.IsReserved(s))
        {
            throw Error($"this identifier is reserved and cannot be used: {s}", t);
        }

        return s;
    }

    // ---- expressions ----

    private Expr ParseExpr()
    {
        _depth++;
        if (_depth > _options.MaxNestingDepth)
        {
            throw Error($"expression nesting exceeds the limit of {_options.MaxNestingDepth}", Cur);
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error("expression nesting is too deep for the available stack", Cur);
        }

        try
        {
            if (IsKeyword("if"))
            {
                var ifTok = Advance();
                var cond = ParseExpr();
                ExpectKeyword("then");
                var then = ParseExpr();
                ExpectKeyword("else");
                var @else = ParseExpr();
                return Check(new IfExpr(cond, then, @else, SpanFrom(ifTok)));
            }

            return ParseOr();
        }
        finally
        {
            _depth--;
        }
    }

    private Expr Check(Expr e)
    {
        if (e.NestingDepth > _options.MaxNestingDepth)
        {
            throw new CedarParseException($"expression nesting exceeds the limit of {_options.MaxNestingDepth}", _src, e.Span.Start);
        }

        return e;
    }

    private Expr ParseOr()
    {
        var start = Cur;
        var left = ParseAnd();
        while (Cur.Kind == TokenKind.Or)
        {
            Advance();
            var right = ParseAnd();
            left = Check(new OrExpr(left, right, SpanFrom(start)));
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var start = Cur;
        var left = ParseRelation();
        while (Cur.Kind == TokenKind.And)
        {
            Advance();
            var right = ParseRelation();
            left = Check(new AndExpr(left, right, SpanFrom(start)));
        }

        return left;
    }

    private Expr ParseRelation()
    {
        var start = Cur;
        var left = ParseAdd();
        Expr result;
        if (IsKeyword("has"))
        {
            Advance();
            result = ParseHasRhs(left, start);
        }
        else if (IsKeyword("like"))
        {
            Advance();
            var patTok = Expect(TokenKind.String, "a string pattern after 'like'");
            var body = _src.Substring(patTok.Start + 1, patTok.Length - 2);
            var err = Unescaper.TryUnescapePattern(body, out var pattern);
            if (err is not null)
            {
                throw Error(err, patTok);
            }

            result = Check(new LikeExpr(left, pattern, SpanFrom(start)));
        }
        else if (IsKeyword("is"))
        {
            Advance();
            var path = ParsePath(allowReserved: false);
            var type = new EntityType(string.Join("::", path));
            Expr? inExpr = null;
            if (IsKeyword("in"))
            {
                Advance();
                inExpr = ParseAdd();
            }

            result = Check(new IsExpr(left, type, inExpr, SpanFrom(start)));
        }
        else if (TryRelOp(out var op))
        {
            Advance();
            var right = ParseAdd();
            result = Check(new BinaryExpr(op, left, right, SpanFrom(start)));
        }
        else if (Cur.Kind == TokenKind.Assign)
        {
            throw Error("'=' is not an operator; use '=='", Cur);
        }
        else
        {
            return left;
        }

        if (TryRelOp(out _) || IsKeyword("has") || IsKeyword("like") || IsKeyword("is"))
        {
            throw Error("relational operators cannot be chained; add parentheses", Cur);
        }

        return result;
    }

    private bool TryRelOp(out BinaryOp op)
    {
        op = Cur.Kind switch
        {
            TokenKind.Eq => BinaryOp.Eq,
            TokenKind.NotEq => BinaryOp.NotEq,
            TokenKind.Less => BinaryOp.Less,
            TokenKind.LessEq => BinaryOp.LessEq,
            TokenKind.Greater => BinaryOp.Greater,
            TokenKind.GreaterEq => BinaryOp.GreaterEq,
            _ => (BinaryOp)(-1),
        };
        if ((int)op >= 0)
        {
            return true;
        }

        if (IsKeyword("in"))
        {
            op = BinaryOp.In;
            return true;
        }

        return false;
    }

    private Expr ParseHasRhs(Expr target, Token start)
    {
        if (Cur.Kind == TokenKind.String)
        {
            var attr = UnescapeString(Advance());
            return Check(new HasAttrExpr(target, attr, SpanFrom(start)));
        }

        var first = Expect(TokenKind.Ident, "an attribute name after 'has'");
        var firstName = CheckSegment(first, allowReserved: false);

        if (Cur.Kind == TokenKind.ColonColon)
        {
            throw Error("a path cannot be used as an attribute name", Cur);
        }

        var attrs = new List<string> { firstName };
        while (Cur.Kind == TokenKind.Dot)
        {
            Advance();
            var seg = Expect(TokenKind.Ident, "an attribute name");
            attrs.Add(CheckSegment(seg, allowReserved: false));
        }

        if (Cur.Kind is TokenKind.LParen or TokenKind.LBracket)
        {
            throw Error("invalid right-hand side of 'has'", Cur);
        }

        // `e has a.b.c` means `e has a && e.a has b && e.a.b has c`, folded to the left.
        var span = SpanFrom(start);
        Expr result = Check(new HasAttrExpr(target, attrs[0], span));
        Expr access = Check(new GetAttrExpr(target, attrs[0], span));
        for (var i = 1; i < attrs.Count; i++)
        {
            result = Check(new AndExpr(result, Check(new HasAttrExpr(access, attrs[i], span)), span));
            access = Check(new GetAttrExpr(access, attrs[i], span));
        }

        return result;
    }

    private Expr ParseAdd()
    {
        var start = Cur;
        var left = ParseMult();
        while (Cur.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance().Kind == TokenKind.Plus ? BinaryOp.Add : BinaryOp.Sub;
            var right = ParseMult();
            left = Check(new BinaryExpr(op, left, right, SpanFrom(start)));
        }

        return left;
    }

    private Expr ParseMult()
    {
        var start = Cur;
        var left = ParseUnary();
        while (Cur.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var opTok = Advance();
            if (opTok.Kind != TokenKind.Star)
            {
                throw Error($"'{Text(opTok)}' is not a Cedar operator", opTok);
            }

            var right = ParseUnary();
            left = Check(new BinaryExpr(BinaryOp.Mul, left, right, SpanFrom(start)));
        }

        return left;
    }

    private Expr ParseUnary()
    {
        var start = Cur;
        if (Cur.Kind is TokenKind.Bang or TokenKind.Minus)
        {
            var kind = Cur.Kind;
            var count = 0;
            while (Cur.Kind == kind)
            {
                Advance();
                count++;
            }

            if (count > 4)
            {
                throw Error($"too many occurrences of '{(kind == TokenKind.Bang ? "!" : "-")}' in a row", start);
            }

            if (kind == TokenKind.Bang)
            {
                var operand = ParseMember();
                for (var i = 0; i < count; i++)
                {
                    operand = Check(new UnaryExpr(UnaryOp.Not, operand, SpanFrom(start)));
                }

                return operand;
            }

            Expr inner;
            var negations = count;
            if (Cur.Kind == TokenKind.Number && !IsMemberAccess(Peek().Kind))
            {
                // `-N` is a negative literal, which admits -9223372036854775808.
                var numTok = Advance();
                var digits = Text(numTok);
                if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > (ulong)long.MaxValue + 1)
                {
                    throw Error($"integer literal {digits} is out of range", numTok);
                }

                inner = new LiteralExpr(LongValue.Of(n == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)n), SpanOf(start, numTok));
                negations--;
            }
            else
            {
                inner = ParseMember();
            }

            for (var i = 0; i < negations; i++)
            {
                inner = Check(new UnaryExpr(UnaryOp.Neg, inner, SpanFrom(start)));
            }

            return inner;
        }

        return ParseMember();
    }

    private static bool IsMemberAccess(TokenKind k) => k is TokenKind.Dot or TokenKind.LParen or TokenKind.LBracket;

    private Expr ParseMember()
    {
        var start = Cur;
        var e = ParsePrimary();
        while (true)
        {
            if (Cur.Kind == TokenKind.Dot)
            {
                Advance();
                var nameTok = Expect(TokenKind.Ident, "an attribute or method name after '.'");
                var name = CheckSegment(nameTok, allowReserved: false);
                if (Cur.Kind == TokenKind.LParen)
                {
                    var args = ParseArgs();
                    e = Check(MakeMethod(e, name, args, nameTok, SpanFrom(start)));
                }
                else
                {
                    e = Check(new GetAttrExpr(e, name, SpanFrom(start)));
                }
            }
            else if (Cur.Kind == TokenKind.LBracket)
            {
                Advance();
                var strTok = Cur;
                if (strTok.Kind != TokenKind.String || Peek().Kind != TokenKind.RBracket)
                {
                    throw Error("the index in [] must be a string literal", strTok);
                }

                Advance();
                var attr = UnescapeString(strTok);
                Expect(TokenKind.RBracket, "']'");
                e = Check(new GetAttrExpr(e, attr, SpanFrom(start)));
            }
            else if (Cur.Kind == TokenKind.LParen)
            {
                throw Error("only functions and methods can be called", Cur);
            }
            else
            {
                return e;
            }
        }
    }

    private Expr MakeMethod(Expr receiver, string name, List<Expr> args, Token nameTok, SourceSpan span)
    {
        if (BuiltinMethods.Contains(name))
        {
            if (name == "isEmpty")
            {
                return args.Count == 0
                    ? new UnaryExpr(UnaryOp.IsEmpty, receiver, span)
                    : throw Error($"call to isEmpty requires exactly 0 arguments, but got {args.Count}", nameTok);
            }

            if (args.Count != 1)
            {
                throw Error($"call to {name} requires exactly 1 argument, but got {args.Count}", nameTok);
            }

            var op = name switch
            {
                "contains" => BinaryOp.Contains,
                "containsAll" => BinaryOp.ContainsAll,
                "containsAny" => BinaryOp.ContainsAny,
                "getTag" => BinaryOp.GetTag,
                _ => BinaryOp.HasTag,
            };
            return new BinaryExpr(op, receiver, args[0], span);
        }

        if (ExtensionNames.Methods.Contains(name))
        {
            var all = new List<Expr>(args.Count + 1) { receiver };
            all.AddRange(args);
            return new ExtensionCallExpr(name, all, span);
        }

        if (ExtensionNames.Functions.Contains(name))
        {
            throw Error($"`{name}` is a function, not a method; call it as {name}(...)", nameTok);
        }

        throw Error($"`{name}` is not a valid method", nameTok);
    }

    private List<Expr> ParseArgs()
    {
        Expect(TokenKind.LParen, "'('");
        var args = new List<Expr>();
        while (Cur.Kind != TokenKind.RParen)
        {
            args.Add(ParseExpr());
            if (Cur.Kind == TokenKind.Comma)
            {
                Advance();
            }
            else
            {
                break;
            }
        }

        Expect(TokenKind.RParen, "')'");
        return args;
    }

    private Expr ParsePrimary()
    {
        var t = Cur;
        switch (t.Kind)
        {
            case TokenKind.Number:
                {
                    Advance();
                    var digits = Text(t);
                    if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    {
                        throw Error($"integer literal {digits} is out of range", t);
                    }

                    return new LiteralExpr(LongValue.Of(n), SpanOf(t, t));
                }

            case TokenKind.String:
                Advance();
                return new LiteralExpr(new StringValue(UnescapeString(t)), SpanOf(t, t));
            case TokenKind.Slot:
                {
                    Advance();
                    return Text(t) switch
                    {
                        "?principal" => new SlotExpr(SlotId.Principal, SpanOf(t, t)),
                        "?resource" => new SlotExpr(SlotId.Resource, SpanOf(t, t)),
                        var other => throw Error($"unknown template slot {other}", t),
                    };
                }

            case TokenKind.LParen:
                {
                    Advance();
                    var e = ParseExpr();
                    Expect(TokenKind.RParen, "')'");
                    return e;
                }

            case TokenKind.LBracket:
                return ParseSetLiteral();
            case TokenKind.LBrace:
                return ParseRecordLiteral();
            case TokenKind.Ident:
                return ParseNamePrimary();
            default:
                throw Error(t.Kind == TokenKind.Eof ? "unexpected end of input; expected an expression" : $"unexpected '{Text(t)}'; expected an expression", t);
        }
    }

    private Expr ParseSetLiteral()
    {
        var open = Advance();
        var items = new List<Expr>();
        _depth++;
        try
        {
            while (Cur.Kind != TokenKind.RBracket)
            {
                items.Add(ParseExpr());
                if (Cur.Kind == TokenKind.Comma)
                {
                    Advance();
                }
                else
                {
                    break;
                }
            }
        }
        finally
        {
            _depth--;
        }

        Expect(TokenKind.RBracket, "']' or ','");
        return Check(new SetExpr(items, SpanFrom(open)));
    }

    private Expr ParseRecordLiteral()
    {
        var open = Advance();
        var fields = new List<KeyValuePair<string, Expr>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        _depth++;
        try
        {
            while (Cur.Kind != TokenKind.RBrace)
            {
                var keyTok = Cur;
                string key;
                if (keyTok.Kind == TokenKind.String)
                {
                    Advance();
                    key = UnescapeString(keyTok);
                }
                else if (keyTok.Kind == TokenKind.Ident)
                {
                    Advance();
                    key = CheckSegment(keyTok, allowReserved: false);
                    if (Cur.Kind == TokenKind.ColonColon)
                    {
                        throw Error("a path cannot be used as a record key", Cur);
                    }
                }
                else
                {
                    throw Error("expected a record key (identifier or string)", keyTok);
                }

                Expect(TokenKind.Colon, "':' after the record key");
                var value = ParseExpr();
                if (!seen.Add(key))
                {
                    throw Error($"duplicate key {CedarText.Quote(key)} in record literal", keyTok);
                }

                fields.Add(new KeyValuePair<string, Expr>(key, value));
                if (Cur.Kind == TokenKind.Comma)
                {
                    Advance();
                }
                else
                {
                    break;
                }
            }
        }
        finally
        {
            _depth--;
        }

        Expect(TokenKind.RBrace, "'}' or ','");
        return Check(new RecordExpr(fields, SpanFrom(open)));
    }

    private Expr ParseNamePrimary()
    {
        var t = Cur;
        var text = Text(t);
        if (text is "true" or "false")
        {
            Advance();
            if (Cur.Kind == TokenKind.ColonColon)
            {
                throw Error($"this identifier is reserved and cannot be used: {text}", t);
            }

            return new LiteralExpr(BoolValue.Of(text == "true"), SpanOf(t, t));
        }

        var path = ParsePath(allowReserved: true, stopBeforeString: true);
        if (Cur.Kind == TokenKind.ColonColon)
        {
            // Name :: "id" — an entity reference.
            Advance();
            if (Cur.Kind == TokenKind.LBrace)
            {
                throw Error("entity references with record syntax are not supported", Cur);
            }

            var idTok = Expect(TokenKind.String, "an entity id string");
            CheckPathSegments(path, t);
            return new LiteralExpr(new EntityUid(new EntityType(string.Join("::", path)), UnescapeString(idTok)), SpanOf(t, idTok));
        }

        if (Cur.Kind == TokenKind.LParen)
        {
            var name = string.Join("::", path);
            var args = ParseArgs();
            if (path.Count == 1 && (ExtensionNames.Methods.Contains(name) || BuiltinMethods.Contains(name)))
            {
                throw Error($"`{name}` is a method, not a function; call it as e.{name}(...)", t);
            }

            if (path.Count == 1 && ExtensionNames.Functions.Contains(name))
            {
                return Check(new ExtensionCallExpr(name, args, SpanFrom(t)));
            }

            throw Error($"`{name}` is not a valid function", t);
        }

        if (path.Count == 1)
        {
            switch (text)
            {
                case "principal": return new VarExpr(Var.Principal, SpanOf(t, t));
                case "action": return new VarExpr(Var.Action, SpanOf(t, t));
                case "resource": return new VarExpr(Var.Resource, SpanOf(t, t));
                case "context": return new VarExpr(Var.Context, SpanOf(t, t));
                default: break;
            }

            if (CedarText.IsReserved(text))
            {
                throw Error($"unexpected keyword '{text}'", t);
            }
        }

        throw Error($"unknown variable `{string.Join("::", path)}`; expected principal, action, resource or context", t);
    }

    private void CheckPathSegments(List<string> path, Token at)
    {
        foreach (var seg in path)
        {
            if (CedarText.IsReserved(seg))
            {
                throw Error($"this identifier is reserved and cannot be used: {seg}", at);
            }
        }
    }

    // ---- helpers ----

    private string UnescapeString(Token t)
    {
        var body = _src.Substring(t.Start + 1, t.Length - 2);
        var err = Unescaper.TryUnescape(body, out var value);
        return err is null ? value : throw Error(err, t);
    }

    private string Text(Token t) => _src.Substring(t.Start, t.Length);

    private bool TextIs(Token t, string word) => t.Length == word.Length && string.CompareOrdinal(_src, t.Start, word, 0, word.Length) == 0;

    private bool IsKeyword(string word) => Cur.Kind == TokenKind.Ident && TextIs(Cur, word);

    private Token Advance()
    {
        var t = _cur;
        if (t.Kind != TokenKind.Eof)
        {
            _prev = t;
            if (_hasPeek)
            {
                _cur = _peek;
                _hasPeek = false;
            }
            else
            {
                _cur = _lexer.Next();
            }
        }

        return t;
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (Cur.Kind != kind)
        {
            var found = Cur.Kind == TokenKind.Eof ? "end of input" : $"'{Truncate(Text(Cur))}'";
            throw Error($"expected {what}, found {found}", Cur);
        }

        return Advance();
    }

    private void ExpectKeyword(string word)
    {
        if (!IsKeyword(word))
        {
            var found = Cur.Kind == TokenKind.Eof ? "end of input" : $"'{Truncate(Text(Cur))}'";
            throw Error($"expected '{word}', found {found}", Cur);
        }

        Advance();
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private CedarParseException Error(string message, Token at) => new(message, _src, at.Start);

    private SourceSpan SpanOf(Token from, Token to)
    {
        // Spans are mostly asked for in source order, so the line of the previous one usually still fits.
        var idx = _lastLine;
        if (from.Start < _lineStarts[idx] || (idx + 1 < _lineStarts.Count && from.Start >= _lineStarts[idx + 1]))
        {
            idx = _lineStarts.BinarySearch(from.Start);
            if (idx < 0)
            {
                idx = ~idx - 1;
            }

            _lastLine = idx;
        }

        return new SourceSpan(from.Start, to.End, idx + 1, from.Start - _lineStarts[idx] + 1);
    }

    private SourceSpan SpanFrom(Token from) => SpanOf(from, _prev);
}
