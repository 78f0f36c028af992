using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Songjiang.Portal.Components.Shared;

namespace Songjiang.Portal.Tests;

/// <summary>How the portal reads a matter's schema into a form and a posted form back into JSON, and words errors in Chinese.</summary>
public sealed class FormReadingTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        { "type": "object", "required": ["uscc", "businessItems"], "properties": {
            "uscc": { "type": "string", "title": "统一社会信用代码", "pattern": "^[0-9A-Z]{18}$" },
            "businessItems": { "type": "array", "title": "经营项目", "minItems": 1, "items": { "type": "string", "enum": ["预包装食品销售", "散装食品销售"] } },
            "premisesArea": { "type": "number", "title": "经营面积（平方米）", "minimum": 1 },
            "employees": { "type": "integer", "title": "从业人数" },
            "accountingSound": { "type": "boolean", "title": "会计核算健全" } } }
        """).RootElement;

    [Fact]
    public void Fields_carry_the_schemas_chinese_titles_and_rules()
    {
        var fields = SchemaForm.Fields(Schema);

        Assert.Equal(["统一社会信用代码", "经营项目", "经营面积（平方米）", "从业人数", "会计核算健全"], fields.Select(f => f.Title));
        Assert.True(fields[0].Required);
        Assert.Equal("^[0-9A-Z]{18}$", fields[0].Pattern);
        Assert.True(fields[1].Multiple);
        Assert.Equal(["预包装食品销售", "散装食品销售"], fields[1].Choices);
        Assert.Equal(1m, fields[2].Minimum);
    }

    [Fact]
    public void A_posted_form_becomes_typed_json_and_leaves_empty_inputs_out()
    {
        var posted = new Dictionary<string, StringValues>
        {
            ["form.uscc"] = "91310117MA1J3GKL0Q",
            ["form.businessItems"] = new StringValues(["预包装食品销售", "散装食品销售"]),
            ["form.premisesArea"] = "120.5",
            ["form.employees"] = "",
            ["form.accountingSound"] = "true",
        };

        var json = SchemaForm.Read(SchemaForm.Fields(Schema), name => posted.GetValueOrDefault(name));

        Assert.Equal("""{"uscc":"91310117MA1J3GKL0Q","businessItems":["预包装食品销售","散装食品销售"],"premisesArea":120.5,"accountingSound":true}""",
            json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Theory]
    [InlineData("Value should be at least 1 characters", "至少需要填写 1 个字符。")]
    [InlineData("Value should have at least 1 items", "请至少选择 1 项。")]
    [InlineData("Value should be at least 1", "不能小于 1。")]
    [InlineData("The string value does not match the required regular expression pattern", "格式不正确，请核对后重新填写。")]
    [InlineData("Required properties [\"uscc\"] are not present", "此项为必填项。")]
    [InlineData("持有的营业执照已被撤销", "持有的营业执照已被撤销")]
    public void Validation_messages_reach_the_user_in_chinese(string message, string shown) =>
        Assert.Equal(shown, ErrorText.Chinese(message));
}
