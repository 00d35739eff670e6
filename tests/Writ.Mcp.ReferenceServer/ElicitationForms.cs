using ModelContextProtocol.Protocol;

namespace Writ.Mcp.ReferenceServer;

/// <summary>The forms of the elicitation scenarios: one field per primitive type with a default, and every enum variant.</summary>
internal static class ElicitationForms
{
    public static ElicitRequestParams.RequestSchema WithDefaults() => new()
    {
        Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
        {
            ["name"] = new ElicitRequestParams.StringSchema { Description = "Your name", Default = "John Doe" },
            ["age"] = new ElicitRequestParams.NumberSchema { Type = "integer", Description = "Your age in years", Default = 30 },
            ["score"] = new ElicitRequestParams.NumberSchema { Description = "Your score", Default = 95.5 },
            ["status"] = new ElicitRequestParams.UntitledSingleSelectEnumSchema { Description = "Your status", Enum = ["active", "inactive", "pending"], Default = "active" },
            ["verified"] = new ElicitRequestParams.BooleanSchema { Description = "Whether you are verified", Default = true },
        },
        Required = [],
    };

    public static ElicitRequestParams.RequestSchema Enums() => new()
    {
        Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
        {
            ["untitledSingle"] = new ElicitRequestParams.UntitledSingleSelectEnumSchema { Description = "Pick one", Enum = ["red", "green", "blue"] },
            ["titledSingle"] = new ElicitRequestParams.TitledSingleSelectEnumSchema
            {
                Description = "Pick one (titled)",
                OneOf = [Option("r", "Red"), Option("g", "Green"), Option("b", "Blue")],
            },
            ["legacyEnum"] = new ElicitRequestParams.LegacyTitledEnumSchema
            {
                Description = "Pick one (legacy titles)",
                Enum = ["s", "m", "l"],
                EnumNames = ["Small", "Medium", "Large"],
            },
            ["untitledMulti"] = new ElicitRequestParams.UntitledMultiSelectEnumSchema
            {
                Description = "Pick some",
                MinItems = 1,
                MaxItems = 3,
                Items = new ElicitRequestParams.UntitledEnumItemsSchema { Enum = ["red", "green", "blue"] },
            },
            ["titledMulti"] = new ElicitRequestParams.TitledMultiSelectEnumSchema
            {
                Description = "Pick some (titled)",
                MinItems = 1,
                MaxItems = 3,
                Items = new ElicitRequestParams.TitledEnumItemsSchema { AnyOf = [Option("r", "Red"), Option("g", "Green"), Option("b", "Blue")] },
            },
        },
        Required = [],
    };

    private static ElicitRequestParams.EnumSchemaOption Option(string value, string title) => new() { Const = value, Title = title };
}
