using System.Text.Json;
using Songjiang.Catalog.Api.Features;

namespace Songjiang.Catalog.Tests;

/// <summary>
/// Forms are checked from many requests at once against schemas built once and shared, and several hosts seed their
/// catalogs in one process.
/// </summary>
public sealed class FormSchemaConcurrencyTests
{
    [Fact]
    public async Task Schemas_built_and_checked_at_the_same_time_do_not_disturb_each_other()
    {
        var schemas = Enumerable.Range(0, 16).Select(i => $$"""
            { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.org/forms/{{i}}",
              "type": "object", "required": ["name"],
              "properties": { "name": { "type": "string", "minLength": {{i + 1}} }, "code": { "type": "string", "pattern": "^SJ[0-9]{4}$" } } }
            """).ToList();
        var valid = JsonDocument.Parse("""{ "name": "上海松江智算科技有限公司有限公司", "code": "SJ0001" }""").RootElement;
        var invalid = JsonDocument.Parse("""{ "name": 42 }""").RootElement;
        var badCode = JsonDocument.Parse("""{ "name": "上海松江智算科技有限公司有限公司", "code": "SJ-1" }""").RootElement;

        await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, (i, _) =>
        {
            var schema = schemas[i % schemas.Count];
            Assert.Null(FormSchemas.Problem(JsonDocument.Parse(schema).RootElement));
            Assert.True(FormSchemas.Check(schema, valid).Valid);
            Assert.False(FormSchemas.Check(schema, invalid).Valid);
            Assert.Equal(["/code"], FormSchemas.Check(schema, badCode).Errors.Keys);
            return ValueTask.CompletedTask;
        });
    }
}
