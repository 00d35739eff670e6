using Writ.Cedar.Evaluation;
using Writ.Cedar.Values;

namespace Writ.Cedar.Extensions;

/// <summary>The implementations of the 22 extension functions, checking arity and argument types.</summary>
internal static class ExtensionFunctions
{
    private const long MsPerDay = 86_400_000;

    private static readonly IpAddrValue LoopbackV4 = new(true, 0x7F000000u, 8);
    private static readonly IpAddrValue LoopbackV6 = new(false, 1, 128);
    private static readonly IpAddrValue MulticastV4 = new(true, 0xE0000000u, 4);
    private static readonly IpAddrValue MulticastV6 = new(false, (UInt128)0xFF00 << 112, 8);

    private static readonly Dictionary<string, Func<Value[], EvalContext, Value?>> Table = new(StringComparer.Ordinal)
    {
        ["decimal"] = (a, c) => Unary<StringValue>(a, c, "decimal", "string", s => DecimalParser.TryParse(s.Value, out var err) is { } d ? d : c.Fail(EvaluationErrorKind.ExtensionError, "error while evaluating decimal: " + err)),
        ["lessThan"] = (a, c) => Binary<DecimalValue, DecimalValue>(a, c, "lessThan", "decimal", (x, y) => BoolValue.Of(x.Raw < y.Raw)),
        ["lessThanOrEqual"] = (a, c) => Binary<DecimalValue, DecimalValue>(a, c, "lessThanOrEqual", "decimal", (x, y) => BoolValue.Of(x.Raw <= y.Raw)),
        ["greaterThan"] = (a, c) => Binary<DecimalValue, DecimalValue>(a, c, "greaterThan", "decimal", (x, y) => BoolValue.Of(x.Raw > y.Raw)),
        ["greaterThanOrEqual"] = (a, c) => Binary<DecimalValue, DecimalValue>(a, c, "greaterThanOrEqual", "decimal", (x, y) => BoolValue.Of(x.Raw >= y.Raw)),
        ["ip"] = (a, c) => Unary<StringValue>(a, c, "ip", "string", s => IpParser.TryParse(s.Value) is { } ip ? ip : c.Fail(EvaluationErrorKind.ExtensionError, $"error while evaluating ip: invalid IP address {CedarText.Quote(s.Value)}")),
        ["isIpv4"] = (a, c) => Unary<IpAddrValue>(a, c, "isIpv4", "ipaddr", x => BoolValue.Of(x.IsV4)),
        ["isIpv6"] = (a, c) => Unary<IpAddrValue>(a, c, "isIpv6", "ipaddr", x => BoolValue.Of(!x.IsV4)),
        ["isLoopback"] = (a, c) => Unary<IpAddrValue>(a, c, "isLoopback", "ipaddr", x => BoolValue.Of(x.IsInRange(x.IsV4 ? LoopbackV4 : LoopbackV6))),
        ["isMulticast"] = (a, c) => Unary<IpAddrValue>(a, c, "isMulticast", "ipaddr", x => BoolValue.Of(x.IsInRange(x.IsV4 ? MulticastV4 : MulticastV6))),
        ["isInRange"] = (a, c) => Binary<IpAddrValue, IpAddrValue>(a, c, "isInRange", "ipaddr", (x, y) => BoolValue.Of(x.IsInRange(y))),
        ["datetime"] = (a, c) => Unary<StringValue>(a, c, "datetime", "string", s => DatetimeParser.TryParseDatetime(s.Value) is { } d ? d : c.Fail(EvaluationErrorKind.ExtensionError, $"error while evaluating datetime: invalid datetime {CedarText.Quote(s.Value)}")),
        ["duration"] = (a, c) => Unary<StringValue>(a, c, "duration", "string", s => DatetimeParser.TryParseDuration(s.Value) is { } d ? d : c.Fail(EvaluationErrorKind.ExtensionError, $"error while evaluating duration: invalid duration {CedarText.Quote(s.Value)}")),
        ["offset"] = (a, c) => Binary<DatetimeValue, DurationValue>(a, c, "offset", "datetime and duration", (x, y) =>
            long.MaxValue - Math.Max(0, y.Milliseconds) >= x.Milliseconds && long.MinValue - Math.Min(0, y.Milliseconds) <= x.Milliseconds
                ? new DatetimeValue(x.Milliseconds + y.Milliseconds)
                : c.Fail(EvaluationErrorKind.ExtensionError, "overflow while evaluating offset")),
        ["durationSince"] = (a, c) => Binary<DatetimeValue, DatetimeValue>(a, c, "durationSince", "datetime", (x, y) =>
        {
            var d = (Int128)x.Milliseconds - y.Milliseconds;
            return d >= long.MinValue && d <= long.MaxValue ? new DurationValue((long)d) : c.Fail(EvaluationErrorKind.ExtensionError, "overflow while evaluating durationSince");
        }),
        ["toDate"] = (a, c) => Unary<DatetimeValue>(a, c, "toDate", "datetime", x =>
        {
            var rem = ((x.Milliseconds % MsPerDay) + MsPerDay) % MsPerDay;
            var d = (Int128)x.Milliseconds - rem;
            return d >= long.MinValue ? new DatetimeValue((long)d) : c.Fail(EvaluationErrorKind.ExtensionError, "overflow while evaluating toDate");
        }),
        ["toTime"] = (a, c) => Unary<DatetimeValue>(a, c, "toTime", "datetime", x => new DurationValue(((x.Milliseconds % MsPerDay) + MsPerDay) % MsPerDay)),
        ["toMilliseconds"] = (a, c) => Unary<DurationValue>(a, c, "toMilliseconds", "duration", x => LongValue.Of(x.Milliseconds)),
        ["toSeconds"] = (a, c) => Unary<DurationValue>(a, c, "toSeconds", "duration", x => LongValue.Of(x.Milliseconds / 1000)),
        ["toMinutes"] = (a, c) => Unary<DurationValue>(a, c, "toMinutes", "duration", x => LongValue.Of(x.Milliseconds / 60_000)),
        ["toHours"] = (a, c) => Unary<DurationValue>(a, c, "toHours", "duration", x => LongValue.Of(x.Milliseconds / 3_600_000)),
        ["toDays"] = (a, c) => Unary<DurationValue>(a, c, "toDays", "duration", x => LongValue.Of(x.Milliseconds / MsPerDay)),
    };

    public static Func<Value[], EvalContext, Value?>? Find(string name) => Table.GetValueOrDefault(name);

    /// <summary>Builds an extension value from a constructor name and its string argument (used by the JSON readers).</summary>
    public static Value? Construct(string name, string argument, out string? error)
    {
        error = null;
        Value? v = name switch
        {
            "decimal" => DecimalParser.TryParse(argument, out error),
            "ip" => IpParser.TryParse(argument),
            "datetime" => DatetimeParser.TryParseDatetime(argument),
            "duration" => DatetimeParser.TryParseDuration(argument),
            _ => null,
        };
        if (v is null)
        {
            error ??= ExtensionNames.Functions.Contains(name)
                ? $"invalid argument {CedarText.Quote(argument)} for extension function {name}"
                : $"unknown extension function {name}";
        }

        return v;
    }

    private static Value? Unary<T>(Value[] a, EvalContext c, string name, string expected, Func<T, Value?> f)
        where T : Value
    {
        if (a.Length != 1)
        {
            return c.Fail(EvaluationErrorKind.WrongArity, $"wrong number of arguments to {name}: expected 1, got {a.Length}");
        }

        return a[0] is T t ? f(t) : c.TypeError(expected, a[0]);
    }

    private static Value? Binary<T1, T2>(Value[] a, EvalContext c, string name, string expected, Func<T1, T2, Value?> f)
        where T1 : Value
        where T2 : Value
    {
        if (a.Length != 2)
        {
            return c.Fail(EvaluationErrorKind.WrongArity, $"wrong number of arguments to {name}: expected 2, got {a.Length}");
        }

        if (a[0] is not T1 x)
        {
            return c.TypeError(expected, a[0]);
        }

        return a[1] is T2 y ? f(x, y) : c.TypeError(expected, a[1]);
    }
}
