using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Songjiang.EventBus;
using CasesIn = Songjiang.Cases.Api.IntegrationEvents.Events;
using EnterprisesIn = Songjiang.Enterprises.Api.IntegrationEvents.Events;
using LicencesIn = Songjiang.Licenses.Api.IntegrationEvents.Events;
using RadarIn = Songjiang.PolicyRadar.Api.IntegrationEvents.Events;

namespace Songjiang.EndToEnd.Tests.Contracts;

/// <summary>
/// One case per consumed event: the publisher's own record, filled with a value in every field (enums with their
/// last member, so an order that differs shows), is written as the bus writes it and read into each consumer's copy;
/// the topic must match, and every field the copy names must arrive with the publisher's value.
/// </summary>
public sealed class EventContractTests
{
    public static TheoryData<Type, Type> Contracts => new()
    {
        // cases → enterprises, licences
        { typeof(Cases.Api.IntegrationEvents.Events.ApplicationSubmittedIntegrationEvent), typeof(EnterprisesIn.ApplicationSubmittedIntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.ApplicationAcceptedIntegrationEvent), typeof(EnterprisesIn.ApplicationAcceptedIntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.ApplicationCorrectionRequestedIntegrationEvent), typeof(EnterprisesIn.ApplicationCorrectionRequestedIntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.ApplicationResubmittedIntegrationEvent), typeof(EnterprisesIn.ApplicationResubmittedIntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.ApplicationApprovedIntegrationEvent), typeof(EnterprisesIn.ApplicationApprovedIntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.ApplicationApprovedV2IntegrationEvent), typeof(EnterprisesIn.ApplicationApprovedV2IntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.ApplicationApprovedV2IntegrationEvent), typeof(LicencesIn.ApplicationApprovedIntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.ApplicationRejectedIntegrationEvent), typeof(EnterprisesIn.ApplicationRejectedIntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.ApplicationCompletedIntegrationEvent), typeof(EnterprisesIn.ApplicationCompletedIntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.CommitmentBrokenIntegrationEvent), typeof(EnterprisesIn.CommitmentBrokenIntegrationEvent) },
        { typeof(Cases.Api.IntegrationEvents.Events.CommitmentBrokenIntegrationEvent), typeof(LicencesIn.CommitmentBrokenIntegrationEvent) },
        // licences → cases, enterprises
        { typeof(Licenses.Api.IntegrationEvents.Events.LicenceIssuedV2IntegrationEvent), typeof(CasesIn.LicenceIssuedIntegrationEvent) },
        { typeof(Licenses.Api.IntegrationEvents.Events.LicenceIssuedV2IntegrationEvent), typeof(EnterprisesIn.LicenceIssuedIntegrationEvent) },
        { typeof(Licenses.Api.IntegrationEvents.Events.LicenceStatusChangedIntegrationEvent), typeof(EnterprisesIn.LicenceStatusChangedIntegrationEvent) },
        // enterprises → policy radar, licences, cases
        { typeof(Enterprises.Api.IntegrationEvents.Events.EnterpriseProfileChangedIntegrationEvent), typeof(RadarIn.EnterpriseProfileChangedIntegrationEvent) },
        { typeof(Enterprises.Api.IntegrationEvents.Events.EnterpriseProfileChangedIntegrationEvent), typeof(LicencesIn.EnterpriseProfileChangedIntegrationEvent) },
        { typeof(Enterprises.Api.IntegrationEvents.Events.EnterpriseRegisteredIntegrationEvent), typeof(CasesIn.EnterpriseRegisteredIntegrationEvent) },
        { typeof(Enterprises.Api.IntegrationEvents.Events.EnterpriseRegisteredIntegrationEvent), typeof(LicencesIn.EnterpriseRegisteredIntegrationEvent) },
        { typeof(Enterprises.Api.IntegrationEvents.Events.EnterpriseRegisteredIntegrationEvent), typeof(Identity.Api.IntegrationEvents.Events.EnterpriseRegisteredIntegrationEvent) },
        // policy radar → cases
        { typeof(PolicyRadar.Api.IntegrationEvents.Events.BenefitOfferedIntegrationEvent), typeof(CasesIn.BenefitOfferedIntegrationEvent) },
    };

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Every_field_a_consumer_reads_arrives_with_the_publishers_value(Type published, Type consumed)
    {
        Assert.Equal(IntegrationEventAttribute.TopicOf(published), IntegrationEventAttribute.TopicOf(consumed));
        var sent = Samples.Of(published);
        var wire = JsonSerializer.Serialize(sent, published, IntegrationEventJson.Options);

        var received = JsonSerializer.Deserialize(wire, consumed, IntegrationEventJson.Options);

        Assert.NotNull(received);
        var publisherJson = JsonNode.Parse(wire)!.AsObject();
        var consumerJson = JsonSerializer.SerializeToNode(received, consumed, IntegrationEventJson.Options)!.AsObject();
        AssertSurvives(publisherJson, consumerJson, consumed.Name);
    }

    [Fact]
    public void Enums_travel_as_names_and_numbers_are_still_read()
    {
        var profile = (Enterprises.Api.IntegrationEvents.Events.EnterpriseProfileChangedIntegrationEvent)Samples.Of(
            typeof(Enterprises.Api.IntegrationEvents.Events.EnterpriseProfileChangedIntegrationEvent));
        var wire = JsonNode.Parse(JsonSerializer.Serialize(profile, IntegrationEventJson.Options))!;

        Assert.Equal(profile.Profile.Stage.ToString(), wire["profile"]!["stage"]!.GetValue<string>());
        wire["profile"]!["stage"] = (int)Enterprises.Api.Domain.LifecycleStage.Changing;
        var read = wire.Deserialize<RadarIn.EnterpriseProfileChangedIntegrationEvent>(IntegrationEventJson.Options)!;
        Assert.Equal(RadarIn.EnterpriseStage.Changing, read.Profile.Stage);
    }

    // Every property the consumer's copy names must equal the publisher's, at every depth.
    private static void AssertSurvives(JsonObject publisher, JsonObject consumer, string path)
    {
        foreach (var (name, value) in consumer)
        {
            Assert.True(publisher.ContainsKey(name), $"{path}.{name} is read by the consumer but not published.");
            var sent = publisher[name];
            if (value is JsonObject nested && sent is JsonObject sentObject)
            {
                AssertSurvives(sentObject, nested, $"{path}.{name}");
            }
            else if (value is JsonArray items && sent is JsonArray sentItems && items.FirstOrDefault() is JsonObject && sentItems.FirstOrDefault() is JsonObject)
            {
                Assert.Equal(sentItems.Count, items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    AssertSurvives(sentItems[i]!.AsObject(), items[i]!.AsObject(), $"{path}.{name}[{i}]");
                }
            }
            else
            {
                Assert.True(JsonNode.DeepEquals(Normalise(sent), Normalise(value)),
                    $"{path}.{name}: published {sent?.ToJsonString()}, the consumer read {value?.ToJsonString()}.");
            }
        }
    }

    // A number and a decimal written differently (12.5 vs 12.50) are the same value; so are a Guid and its text.
    private static JsonNode? Normalise(JsonNode? node) => node is JsonValue value && value.TryGetValue<decimal>(out var number)
        ? JsonValue.Create(number.ToString(System.Globalization.CultureInfo.InvariantCulture))
        : node?.DeepClone();

    /// <summary>Builds a record with a value in every constructor parameter.</summary>
    private static class Samples
    {
        public static object Of(Type type) => Value(type, "x", 0)!;

        private static object? Value(Type type, string name, int depth)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying is not null)
            {
                return Value(underlying, name, depth);
            }
            if (type == typeof(string)) return name + "-样例";
            if (type == typeof(Guid)) return Guid.CreateVersion7();
            if (type == typeof(int)) return 7;
            if (type == typeof(long)) return 7L;
            if (type == typeof(decimal)) return 12.5m;
            if (type == typeof(double)) return 12.5;
            if (type == typeof(bool)) return true;
            if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.FromHours(8));
            if (type == typeof(DateOnly)) return new DateOnly(2026, 12, 7);
            if (type == typeof(JsonElement)) return JsonSerializer.SerializeToElement(new { companyName = "样例" });
            if (type.IsEnum)
            {
                var values = Enum.GetValues(type);
                return values.GetValue(values.Length - 1);
            }
            if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
                && (definition == typeof(IReadOnlyList<>) || definition == typeof(List<>) || definition == typeof(IEnumerable<>)))
            {
                var item = type.GetGenericArguments()[0];
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
                list.Add(Value(item, name, depth + 1));
                return list;
            }
            if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || type.GetGenericTypeDefinition() == typeof(Dictionary<,>)))
            {
                var arguments = type.GetGenericArguments();
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
                dictionary.Add(Value(arguments[0], name + "-key", depth + 1)!, Value(arguments[1], name, depth + 1));
                return dictionary;
            }
            Assert.True(depth < 6, $"{type.Name} nests too deep for a sample.");
            var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).First();
            return constructor.Invoke([.. constructor.GetParameters().Select(p => Value(p.ParameterType, p.Name!, depth + 1))]);
        }
    }
}
