namespace Writ.Cedar.Schema;

/// <summary>Recursive-descent parser for the human <c>.cedarschema</c> format, following Cedar's grammar.</summary>
internal sealed class CedarSchemaParser
{
    private const int MaxDepth = 128;
    private static readonly HashSet<string> ReservedIdentifiers = new(StringComparer.Ordinal)
    {
        "true", "false", "if", "then", "else", "in", "is", "like", "has",
    };

    private readonly string _src;
    private readonly List<SchemaToken> _tokens;
    private int _i;
    private int _depth;

    private CedarSchemaParser(string src)
    {
        _src = src;
        _tokens = new CedarSchemaLexer(src).Tokenize();
    }

    public static SchemaFragment Parse(string src)
    {
        var fragment = new CedarSchemaParser(src).ParseSchema();
        fragment.Source = src;
        return fragment;
    }

    private static SourcePosition PositionOf(SchemaToken t) => new(t.Line, t.Column);

    private SchemaToken Peek(int ahead = 0) => _tokens[Math.Min(_i + ahead, _tokens.Count - 1)];

    private SchemaToken Next() => _tokens[Math.Min(_i++, _tokens.Count - 1)];

    private bool IsPunct(string p, int ahead = 0) => Peek(ahead) is { Kind: SchemaTokenKind.Punct } t && t.Text == p;

    private bool IsWord(string w, int ahead = 0) => Peek(ahead) is { Kind: SchemaTokenKind.Identifier } t && t.Text == w;

    private SchemaParseException Error(string message, SchemaToken at) => new(message, _src, at.Line, at.Column);

    private SchemaParseException Unexpected(string expected)
    {
        var t = Peek();
        var found = t.Kind switch
        {
            SchemaTokenKind.End => "end of input",
            SchemaTokenKind.String => "string literal",
            _ => $"'{t.Text}'",
        };
        return Error($"unexpected {found}, expected {expected}", t);
    }

    private void Expect(string punct)
    {
        if (!IsPunct(punct))
        {
            throw Unexpected($"'{punct}'");
        }

        _i++;
    }

    private bool Accept(string punct)
    {
        if (IsPunct(punct))
        {
            _i++;
            return true;
        }

        return false;
    }

    private SchemaFragment ParseSchema()
    {
        var fragment = new SchemaFragment();
        NamespaceDeclaration? empty = null;
        var named = new HashSet<string>(StringComparer.Ordinal);
        while (Peek().Kind != SchemaTokenKind.End)
        {
            var annotations = ParseAnnotations();
            if (IsWord("namespace"))
            {
                var nsToken = Next();
                var path = ParsePath();
                if (!named.Add(path))
                {
                    throw Error($"namespace `{path}` is declared twice", nsToken);
                }

                var ns = new NamespaceDeclaration { Name = path, Annotations = annotations };
                Expect("{");
                while (!IsPunct("}"))
                {
                    ParseDeclaration(ns, ParseAnnotations());
                }

                Expect("}");
                fragment.Namespaces.Add(ns);
            }
            else
            {
                if (empty is null)
                {
                    empty = new NamespaceDeclaration { Name = string.Empty };
                    fragment.Namespaces.Insert(0, empty);
                }

                ParseDeclaration(empty, annotations);
            }
        }

        return fragment;
    }

    private SchemaAnnotations ParseAnnotations()
    {
        var annotations = new SchemaAnnotations();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (IsPunct("@"))
        {
            _i++;
            var keyToken = Peek();
            if (keyToken.Kind != SchemaTokenKind.Identifier)
            {
                throw Unexpected("an annotation name");
            }

            _i++;
            var value = string.Empty;
            if (Accept("("))
            {
                if (Peek().Kind != SchemaTokenKind.String)
                {
                    throw Unexpected("a string literal");
                }

                value = Next().Text;
                Expect(")");
            }

            if (!keys.Add(keyToken.Text))
            {
                throw Error($"duplicate annotation: @{keyToken.Text}", keyToken);
            }

            annotations.Add(new(keyToken.Text, value));
        }

        return annotations;
    }

    private void ParseDeclaration(NamespaceDeclaration ns, SchemaAnnotations annotations)
    {
        if (IsWord("entity"))
        {
            ParseEntity(ns, annotations);
        }
        else if (IsWord("action"))
        {
            ParseAction(ns, annotations);
        }
        else if (IsWord("type"))
        {
            var typeToken = Next();
            var name = ParseIdent();
            Expect("=");
            var type = ParseType();
            Expect(";");
            ns.CommonTypes.Add(new CommonTypeDeclaration { Name = name, Type = type, Annotations = annotations, Position = PositionOf(typeToken) });
        }
        else
        {
            throw Unexpected("`entity`, `action`, `type` or `namespace`");
        }
    }

    private string ParseIdent()
    {
        var t = Peek();
        if (t.Kind != SchemaTokenKind.Identifier)
        {
            throw Unexpected("an identifier");
        }

        if (ReservedIdentifiers.Contains(t.Text))
        {
            throw Error($"`{t.Text}` is a reserved identifier", t);
        }

        _i++;
        return t.Text;
    }

    private string ParsePath()
    {
        var path = ParseIdent();
        while (IsPunct("::") && Peek(1).Kind == SchemaTokenKind.Identifier)
        {
            _i++;
            path += "::" + ParseIdent();
        }

        return path;
    }

    private string ParseName()
    {
        if (Peek().Kind == SchemaTokenKind.String)
        {
            return Next().Text;
        }

        return ParseIdent();
    }

    private List<string> ParseEntityTypes()
    {
        var list = new List<string>();
        if (Accept("["))
        {
            if (!IsPunct("]"))
            {
                list.Add(ParsePath());
                while (Accept(","))
                {
                    list.Add(ParsePath());
                }
            }

            Expect("]");
        }
        else
        {
            list.Add(ParsePath());
        }

        return list;
    }

    private void ParseEntity(NamespaceDeclaration ns, SchemaAnnotations annotations)
    {
        var at = PositionOf(Next());
        var names = new List<string> { ParseIdent() };
        while (Accept(","))
        {
            names.Add(ParseIdent());
        }

        if (IsWord("enum"))
        {
            _i++;
            Expect("[");
            var choices = new List<string>();
            do
            {
                if (Peek().Kind != SchemaTokenKind.String)
                {
                    throw Unexpected("a string literal");
                }

                choices.Add(Next().Text);
            }
            while (Accept(","));
            Expect("]");
            Expect(";");
            foreach (var name in names)
            {
                ns.EntityTypes.Add(new EntityTypeDeclaration { Name = name, Enum = [.. choices], Annotations = annotations, Position = at });
            }

            return;
        }

        var parents = new List<string>();
        if (IsWord("in"))
        {
            _i++;
            parents = ParseEntityTypes();
        }

        RecordTypeExpression? shape = null;
        if (IsPunct("=") || IsPunct("{"))
        {
            Accept("=");
            Expect("{");
            shape = new RecordTypeExpression { Attributes = ParseAttributes() };
            Expect("}");
        }

        TypeExpression? tags = null;
        if (IsWord("tags"))
        {
            _i++;
            tags = ParseType();
        }

        Expect(";");
        foreach (var name in names)
        {
            ns.EntityTypes.Add(new EntityTypeDeclaration
            {
                Name = name,
                MemberOfTypes = [.. parents],
                Shape = shape,
                Tags = tags,
                Annotations = annotations,
                Position = at,
            });
        }
    }

    private ActionReference ParseActionReference()
    {
        if (Peek().Kind == SchemaTokenKind.String)
        {
            return new ActionReference(null, Next().Text);
        }

        var first = Peek();
        var path = ParseIdent();
        while (IsPunct("::"))
        {
            _i++;
            if (Peek().Kind == SchemaTokenKind.String)
            {
                return new ActionReference(path, Next().Text);
            }

            path += "::" + ParseIdent();
        }

        if (path.Contains("::", StringComparison.Ordinal))
        {
            throw Error("expected an action reference such as `Action::\"id\"` or `\"id\"`", first);
        }

        return new ActionReference(null, path);
    }

    private void ParseAction(NamespaceDeclaration ns, SchemaAnnotations annotations)
    {
        var at = PositionOf(Next());
        var names = new List<string> { ParseName() };
        while (Accept(","))
        {
            names.Add(ParseName());
        }

        var parents = new List<ActionReference>();
        if (IsWord("in"))
        {
            _i++;
            if (Accept("["))
            {
                parents.Add(ParseActionReference());
                while (Accept(","))
                {
                    parents.Add(ParseActionReference());
                }

                Expect("]");
            }
            else
            {
                parents.Add(ParseActionReference());
            }
        }

        AppliesTo? appliesTo = null;
        if (IsWord("appliesTo"))
        {
            _i++;
            appliesTo = ParseAppliesTo(names[0]);
        }

        if (IsWord("attributes"))
        {
            _i++;
            Expect("{");
            Expect("}");
        }

        Expect(";");
        foreach (var name in names)
        {
            ns.Actions.Add(new ActionDeclaration { Name = name, MemberOf = [.. parents], AppliesTo = appliesTo, Annotations = annotations, Position = at });
        }
    }

    private AppliesTo ParseAppliesTo(string actionName)
    {
        var open = Peek();
        Expect("{");
        List<string>? principals = null;
        List<string>? resources = null;
        TypeExpression? context = null;
        var sawContext = false;
        do
        {
            if (IsPunct("}") && (principals is not null || resources is not null || sawContext))
            {
                break;
            }

            var key = Peek();
            if (IsWord("principal") || IsWord("resource"))
            {
                _i++;
                Expect(":");
                var types = ParseEntityTypes();
                if (types.Count == 0)
                {
                    throw Error($"`{key.Text}` of action \"{actionName}\" must list at least one entity type", key);
                }

                if (key.Text == "principal")
                {
                    principals = principals is null ? types : throw Error($"duplicate `principal` declaration in action \"{actionName}\"", key);
                }
                else
                {
                    resources = resources is null ? types : throw Error($"duplicate `resource` declaration in action \"{actionName}\"", key);
                }
            }
            else if (IsWord("context"))
            {
                _i++;
                Expect(":");
                if (sawContext)
                {
                    throw Error($"duplicate `context` declaration in action \"{actionName}\"", key);
                }

                sawContext = true;
                if (Accept("{"))
                {
                    context = new RecordTypeExpression { Attributes = ParseAttributes() };
                    Expect("}");
                }
                else
                {
                    var contextAt = PositionOf(Peek());
                    context = new NamedTypeExpression { Name = ParsePath(), Position = contextAt };
                }
            }
            else
            {
                throw Unexpected("`principal`, `resource` or `context`");
            }
        }
        while (Accept(","));
        Expect("}");
        if (principals is null || resources is null)
        {
            var missing = principals is null ? "principal" : "resource";
            throw Error($"action \"{actionName}\" must declare a `{missing}` in its `appliesTo`", open);
        }

        return new AppliesTo { PrincipalTypes = principals, ResourceTypes = resources, Context = context };
    }

    private List<AttributeDeclaration> ParseAttributes()
    {
        var attrs = new List<AttributeDeclaration>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (!IsPunct("}"))
        {
            var annotations = ParseAnnotations();
            var nameToken = Peek();
            var name = ParseName();
            var required = !Accept("?");
            Expect(":");
            var type = ParseType();
            if (!names.Add(name))
            {
                throw Error($"duplicate attribute `{name}`", nameToken);
            }

            attrs.Add(new AttributeDeclaration { Name = name, Type = type, Required = required, Annotations = annotations });
            if (!Accept(","))
            {
                break;
            }
        }

        return attrs;
    }

    private TypeExpression ParseType()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"type nesting exceeds the limit of {MaxDepth}", Peek());
        }

        try
        {
            if (IsWord("Set") && IsPunct("<", 1))
            {
                _i += 2;
                var element = ParseType();
                Expect(">");
                return new SetTypeExpression { Element = element };
            }

            if (Accept("{"))
            {
                var record = new RecordTypeExpression { Attributes = ParseAttributes() };
                Expect("}");
                return record;
            }

            if (Peek().Kind != SchemaTokenKind.Identifier)
            {
                throw Unexpected("a type");
            }

            var nameAt = PositionOf(Peek());
            return new NamedTypeExpression { Name = ParsePath(), Position = nameAt };
        }
        finally
        {
            _depth--;
        }
    }
}
