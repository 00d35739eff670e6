using System.Text;

namespace Writ.Cedar.Tests.Validation;

/// <summary>
/// Generates random schemas with random, mostly ill-typed policies for differential testing against the official
/// engine. <c>Data/cedar-wasm-4.13-validation.jsonl</c> holds the cases of seed 4242 with cedar-wasm 4.13.0's verdicts;
/// <c>Data/cedar-wasm-verdicts.js</c> recomputes verdicts for new cases.
/// </summary>
internal static class DifferentialCases
{
    private static readonly string[] Prims = ["Long", "String", "Bool", "ipaddr", "decimal", "datetime", "duration"];

    public static IEnumerable<(string Schema, string Policies)> Generate(int seed, int count)
    {
        var r = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return Case(r);
        }
    }

    private static (string Schema, string Policies) Case(Random r)
    {
        var ents = new List<string> { "A", "B", "C" };
        var attrs = new Dictionary<string, List<(string Name, string Type, bool Opt)>>();
        var sb = new StringBuilder();
        var hasNs = r.Next(4) == 0;
        if (hasNs) sb.Append("namespace N {\n");
        sb.Append("type Ct = { x: Long, y?: String };\n");
        foreach (var e in ents)
        {
            var list = new List<(string, string, bool)>();
            var n = r.Next(4);
            for (var k = 0; k < n; k++) list.Add(("a" + k, RandType(r, ents, 0), r.Next(3) == 0));
            attrs[e] = list;
            var parents = ents.Where(x => x != e && r.Next(3) == 0).ToList();
            sb.Append($"entity {e}{(parents.Count > 0 ? " in [" + string.Join(", ", parents) + "]" : "")} {{ {string.Join(", ", list.Select(a => $"{a.Item1}{(a.Item3 ? "?" : "")}: {a.Item2}"))} }}{(r.Next(3) == 0 ? " tags " + RandType(r, ents, 1) : "")};\n");
        }
        sb.Append("entity E enum [\"x\", \"y\"];\n");
        sb.Append($"action r appliesTo {{ principal: [{Pick(r, ents)}{(r.Next(2) == 0 ? ", E" : "")}], resource: [{Pick(r, ents)}], context: {{ c: Long, d?: {RandType(r, ents, 1)}, ct: Ct }} }};\n");
        sb.Append($"action w in [r] appliesTo {{ principal: [{Pick(r, ents)}], resource: [{Pick(r, ents)}, {Pick(r, ents)}] }};\n");
        sb.Append("action g;\n");
        if (hasNs) sb.Append("}\n");
        var pre = hasNs ? "N::" : "";
        var pol = new StringBuilder();
        var np = 1 + r.Next(2);
        for (var k = 0; k < np; k++)
        {
            var pScope = r.Next(7) switch { 0 => $"principal is {pre}{Pick(r, ents)}", 1 => $"principal in {pre}{Pick(r, ents)}::\"p\"", 2 => $"principal == {pre}E::\"x\"", 3 => "principal in ?principal", 4 => $"principal is {pre}{Pick(r, ents)} in ?principal", _ => "principal" };
            var aScope = r.Next(5) switch { 0 => $"action == {pre}Action::\"r\"", 1 => $"action in [{pre}Action::\"w\", {pre}Action::\"g\"]", 2 => $"action in {pre}Action::\"r\"", _ => "action" };
            var rScope = r.Next(6) switch { 0 => $"resource is {pre}{Pick(r, ents)}", 1 => $"resource is {pre}{Pick(r, ents)} in {pre}{Pick(r, ents)}::\"q\"", 2 => "resource == ?resource", _ => "resource" };
            pol.Append($"permit({pScope}, {aScope}, {rScope}) {(r.Next(4) == 0 ? "unless" : "when")} {{ {Expr(r, 2 + r.Next(2), pre, attrs)} }};\n");
        }
        return (sb.ToString(), pol.ToString());
    }
    private static string Pick(Random r, List<string> l) => l[r.Next(l.Count)];
    private static string RandType(Random r, List<string> ents, int d) => r.Next(d > 1 ? 3 : 6) switch
    {
        0 => Prims[r.Next(Prims.Length)],
        1 => Pick(r, ents),
        2 => "Ct",
        3 => $"Set<{RandType(r, ents, d + 1)}>",
        4 => $"{{ f: {RandType(r, ents, d + 1)}, g?: Long }}",
        _ => Prims[r.Next(3)],
    };
    private static readonly string[] AttrNames = ["a0", "a1", "a2", "a3", "c", "d", "ct", "x", "y", "f", "g", "zz"];
    private static string Base(Random r, string pre) => r.Next(9) switch
    {
        0 => "principal", 1 => "resource", 2 => "context", 3 => "action",
        4 => $"{pre}A::\"i\"", 5 => $"{pre}E::\"{(r.Next(5) == 0 ? "z" : "x")}\"",
        6 => "principal.a0", 7 => "context.ct", _ => "resource.a1",
    };
    private static string Lit(Random r) => r.Next(10) switch
    {
        0 => "1", 1 => "\"s\"", 2 => "true", 3 => "ip(\"10.0.0.1\")", 4 => "decimal(\"1.5\")", 5 => "datetime(\"2024-01-01\")", 6 => "duration(\"1h\")",
        7 => "[1, 2]", 8 => "{ f: 1, g: 2 }", _ => "[]",
    };
    private static string Expr(Random r, int d, string pre, Dictionary<string, List<(string, string, bool)>> attrs)
    {
        if (d > 3) return r.Next(2) == 0 ? Lit(r) : Base(r, pre);
        string E() => Expr(r, d + 1, pre, attrs);
        string At() => AttrNames[r.Next(AttrNames.Length)];
        return r.Next(34) switch
        {
            22 => $"({E()}.containsAny({E()}))",
            23 => $"({E()}.getTag(\"t\"))",
            24 => $"({E()} != {E()})",
            25 => $"({E()} >= {E()})",
            26 => $"(-{E()})",
            27 => $"({E()}.toDays())",
            28 => $"({E()}.isInRange({E()}))",
            29 => $"(if {Base(r, pre)} has {At()} then {Base(r, pre)}.{At()} else {E()})",
            30 => $"({{ f: {E()}, g: {E()} }}.{At()})",
            31 => $"({E()} has {At()})",
            32 => $"(action in [{pre}Action::\"r\", {pre}Action::\"g\"])",
            33 => $"({pre}Action::\"w\" in {E()})",
            0 => $"({E()} && {E()})",
            1 => $"({E()} || {E()})",
            2 => $"(if {E()} then {E()} else {E()})",
            3 => $"(!{E()})",
            4 => $"({E()} == {E()})",
            5 => $"({E()} < {E()})",
            6 => $"({E()} + {E()})",
            7 => $"({E()} in {E()})",
            8 => $"({E()}.contains({E()}))",
            9 => $"({E()}.containsAll({E()}))",
            10 => $"({Base(r, pre)}.{At()})",
            11 => $"({Base(r, pre)} has {At()})",
            12 => $"({Base(r, pre)} has {At()} && {Base(r, pre)}.{At()} == {E()})",
            13 => $"({E()} like \"a*\")",
            14 => $"({E()} is {pre}{"ABCE"[r.Next(4)]})",
            15 => $"([{E()}, {E()}])",
            16 => $"({E()}.hasTag(\"t\") && {E()}.getTag(\"t\") == {E()})",
            17 => $"({E()}.lessThan({E()}))",
            18 => $"({E()}.isEmpty())",
            19 => Lit(r),
            20 => $"({E()}.offset({E()}))",
            _ => Base(r, pre),
        };
    }
}
