using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Tests.Policies;

public sealed class PolicyReaderTests
{
    [Fact]
    public void AFullPolicyIsReadWithEveryValueItStates()
    {
        var set = Loaded(PolicyDocuments.Full);

        Assert.Equal("2026-12-03.1", set.Version);
        var policy = set.Default;
        Assert.Null(policy.Tenant);
        Assert.Equal("2026-12-03.1", policy.Version);
        Assert.Equal(GuardFailureMode.Open, policy.FailureMode);
        Assert.True(policy.RestoreRedactions);

        Assert.Equal(
            ["email", "phone", "iban", "card", "ipv4", "ipv6", "mac", "custom:employee_id", "custom:bank_ref"],
            policy.Detectors.Keys);
        var email = policy.Detectors["email"];
        Assert.True(email.Enabled);
        Assert.Equal(0.4, email.MinScore);
        Assert.Equal(["email", "e-mail"], email.ContextWords);
        Assert.Equal(GuardrailAction.Redact, email.ActionFor(GuardrailDirection.Retrieved));
        Assert.False(policy.Detectors["phone"].Enabled);
        Assert.DoesNotContain("phone", policy.EnabledDetectors.Select(d => d.Family));
        var iban = policy.Detectors["iban"];
        Assert.Equal((GuardrailAction.Redact, GuardrailAction.Block, GuardrailAction.Mask), (iban.Input, iban.Output, iban.Retrieved));
        Assert.Equal(GuardrailAction.Flag, policy.Detectors["ipv4"].Input);
        Assert.Equal(GuardrailAction.Allow, policy.Detectors["ipv4"].Output);
        Assert.Null(policy.Detectors["card"].Pattern);

        var employee = policy.Detectors["custom:employee_id"];
        Assert.Equal("employee_id", employee.Pattern!.Name);
        Assert.Equal(PatternChecksum.Luhn, employee.Pattern.Checksum);
        Assert.Equal(10, employee.Pattern.MaxLength);
        Assert.Equal(PolicyLimits.DefaultMinScore, employee.MinScore);
        Assert.Equal(GuardrailAction.Mask, employee.Output);
        Assert.Matches(employee.Pattern.Regex, "id EMP-123456 here");
        var bankRef = policy.Detectors["custom:bank_ref"].Pattern!;
        Assert.Equal((PatternChecksum.Mod97, PolicyLimits.DefaultCustomMatchLength), (bankRef.Checksum, bankRef.MaxLength));

        Assert.Equal(["weapons", "internal-codenames"], policy.Deny.Rules.Select(r => r.Name));
        Assert.Equal([GuardrailDirection.Input, GuardrailDirection.Output], policy.Deny.Rules[0].Directions.Order());
        Assert.Equal(["pipe bomb", "Nerve Agent"], policy.Deny.Rules[0].Keywords);
        Assert.Equal([GuardrailDirection.Output, GuardrailDirection.Retrieved], policy.Deny.Rules[1].Directions.Order());

        var guard = policy.Guard!;
        Assert.Equal("llama-guard-3-1b", guard.Model);
        Assert.Equal([GuardrailDirection.Input, GuardrailDirection.Output], guard.Directions.Order());
        Assert.Equal(["S1", "S2", "S10"], guard.Categories);
        Assert.Equal(TimeSpan.FromSeconds(1.5), guard.Timeout);

        var acme = set.Tenants["acme"];
        Assert.Equal(("acme", "2026-12-03.1"), (acme.Tenant, acme.Version));
        Assert.Equal(GuardrailAction.Block, acme.Detectors["email"].Input);
        Assert.Equal(["badge"], acme.Detectors["custom:badge"].ContextWords);
        Assert.Equal(["competitors"], acme.Deny.Rules.Select(r => r.Name));
    }

    [Fact]
    public void WhatAPolicyLeavesOutIsOffOrTheSafeDefault()
    {
        var policy = Loaded("""{ "version": "1" }""").Default;

        Assert.Empty(policy.Detectors);
        Assert.Empty(policy.Deny.Rules);
        Assert.Null(policy.Guard);
        Assert.Equal(GuardFailureMode.Closed, policy.FailureMode);
        Assert.False(policy.RestoreRedactions);
    }

    [Fact]
    public void AGuardWithoutDirectionsOrTimeoutScreensBothWaysWithTheDefaultTimeout()
    {
        var guard = Loaded(PolicyDocuments.With("""  "guard": { "model": "guard" } """)).Default.Guard!;

        Assert.Equal([GuardrailDirection.Input, GuardrailDirection.Output], guard.Directions.Order());
        Assert.Equal(PolicyLimits.DefaultGuardTimeout, guard.Timeout);
        Assert.Empty(guard.Categories);
    }

    [Fact]
    public void ADocumentReadFromUtf8BytesIsTheSameAsFromText()
    {
        var fromBytes = PolicyReader.Read(System.Text.Encoding.UTF8.GetBytes(PolicyDocuments.Full));

        var set = Assert.IsType<PolicyLoadResult.Loaded>(fromBytes).Policies;
        Assert.Equal(Loaded(PolicyDocuments.Full).Default.Detectors.Keys, set.Default.Detectors.Keys);
    }

    [Fact]
    public void AFileThatStartsWithAByteOrderMarkIsRead()
    {
        byte[] withMark = [.. System.Text.Encoding.UTF8.Preamble, .. System.Text.Encoding.UTF8.GetBytes(PolicyDocuments.Full)];

        Assert.IsType<PolicyLoadResult.Loaded>(PolicyReader.Read(withMark));
    }

    [Fact]
    public void ATenantWithoutItsOwnPolicyGetsTheDefault()
    {
        var set = Loaded(PolicyDocuments.Full);

        Assert.Same(set.Tenants["acme"], set.For("acme"));
        Assert.Same(set.Default, set.For("initech"));
        Assert.Same(set.Default, set.For(null));
        Assert.Equal("competitors", set.For("acme").Deny.Check("we beat Globex", GuardrailDirection.Input));
        Assert.Null(set.For("initech").Deny.Check("we beat Globex", GuardrailDirection.Input));
    }

    internal static GuardrailPolicySet Loaded(string json)
    {
        var result = PolicyReader.Read(json);
        return result is PolicyLoadResult.Loaded loaded ? loaded.Policies : throw new Xunit.Sdk.XunitException("refused: " + result);
    }
}
