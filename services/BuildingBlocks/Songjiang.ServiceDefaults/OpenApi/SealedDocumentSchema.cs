using Microsoft.OpenApi;

namespace Songjiang.ServiceDefaults.OpenApi;

/// <summary>
/// The sealed licence document as it travels: the licence exactly as signed under <c>licence</c> and its SM2 seal under
/// <c>seal</c>. The licences service writes it and verifies it; the exchange hands it to partner cities.
/// </summary>
public static class SealedDocumentSchema
{
    /// <summary>The document's schema.</summary>
    public static OpenApiSchema Create() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "licence", "seal" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["licence"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The licence as sealed, in its canonical form: verify the seal over these bytes as received.",
            },
            ["seal"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "alg", "kid", "signerId", "signature" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["alg"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The seal's algorithm (SM2 with SM3)." },
                    ["kid"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The sealing key's id in the issuer keys and the trust list." },
                    ["signerId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The SM2 distinguishing identifier the signature used." },
                    ["signature"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "byte", Description = "The DER-encoded signature, base64." },
                },
            },
        },
    };
}
