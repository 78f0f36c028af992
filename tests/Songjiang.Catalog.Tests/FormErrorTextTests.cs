using System.Text.Json;
using Songjiang.Catalog.Api.Features;

namespace Songjiang.Catalog.Tests;

/// <summary>What an applicant reads when a form is refused: each field by its title, in Chinese, with what to do.</summary>
public sealed class FormErrorTextTests
{
    private const string Schema = """
        { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.org/forms/text",
          "type": "object", "required": ["name", "staff"], "additionalProperties": false,
          "properties": {
            "name": { "type": "string", "title": "企业名称", "maxLength": 10 },
            "staff": { "type": "integer", "title": "专职人员数", "minimum": 1 },
            "kind": { "type": "string", "title": "经营类别", "enum": ["餐饮", "零售"] } } }
        """;

    [Theory]
    [InlineData("""{ "staff": 3 }""", "/name", "请填写“企业名称”。")]
    [InlineData("""{ "name": "松江", "staff": 0 }""", "/staff", "“专职人员数”不能小于 1。")]
    [InlineData("""{ "name": "松江", "staff": "三" }""", "/staff", "“专职人员数”的填写类型不正确，应为整数。")]
    [InlineData("""{ "name": "松江", "staff": 3, "kind": "批发" }""", "/kind", "“经营类别”应为以下选项之一：餐饮、零售。")]
    [InlineData("""{ "name": "松江", "staff": 3, "extra": 1 }""", "/extra", "表单中没有“extra”这一项，请删除。")]
    public void A_refused_field_is_named_by_its_title_with_what_to_do(string form, string field, string message)
    {
        var check = FormSchemas.Check(Schema, JsonDocument.Parse(form).RootElement);

        Assert.False(check.Valid);
        Assert.True(check.Errors.TryGetValue(field, out var messages), string.Join("; ", check.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        Assert.Contains(message, messages);
    }
}
