using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace EdgeLlm.Retrieval.Tests.Fixtures;

/// <summary>
/// The leave-policy fixture, written with the OpenXml SDK at test time so no binary is committed. It
/// exercises the ways Word marks structure: the Title style, built-in heading styles by name, a custom
/// style based on a heading, and a bare outline level; plus a table, a tracked deletion and a field code.
/// </summary>
internal static class LeavePolicyDocument
{
    public const string FileName = "annual-leave-policy.docx";

    public static byte[] Build()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = new Styles(
                ParagraphStyle("Normal", "Normal"),
                ParagraphStyle("Title", "Title"),
                ParagraphStyle("Heading1", "heading 1"),
                ParagraphStyle("Heading2", "heading 2"),
                ParagraphStyle("PolicySubheading", "Policy Subheading", basedOn: "Heading2"));
            main.Document = new Document(new Body(Content()));
            document.PackageProperties.Title = "Leave policy (document properties)";
        }

        return stream.ToArray();
    }

    private static IEnumerable<OpenXmlElement> Content()
    {
        yield return Styled("Title", "Annual Leave and Absence Policy");
        yield return Para("Policy owner: Human Resources, Nordlys Components AS. Effective from 1 January 2024. "
            + "This policy replaces the 2019 holiday guideline.");

        yield return Styled("Heading1", "1. Purpose and scope");
        yield return Para("This policy explains how employees of Nordlys Components AS in Norway and Sweden earn, request and "
            + "take annual leave, and which other kinds of paid and unpaid absence the company grants. It applies to "
            + "permanent and temporary employees; hired consultants follow their agency's terms.");

        yield return Styled("Heading1", "2. Annual leave entitlement");
        yield return Para("Annual leave is counted in working days and grows with continuous years of service:");
        yield return new Table(
            Row("Years of service", "Days per year"),
            Row("Less than 5 years", "25 working days"),
            Row("5 to 9 years", "27 working days"),
            Row("10 years or more", "30 working days"));
        yield return Para("Employees aged 60 or over receive six extra days each year, as required by law.");

        yield return Styled("Heading2", "2.1 Carry-over");
        yield return Para("Up to 5 unused days may be carried over to the next leave year. Carried-over days must be "
            + "taken before 31 March; days not taken by then lapse without compensation.");

        yield return Styled("Heading2", "2.2 Requesting leave");
        yield return new Paragraph(
            new Run(new Text("Request leave in LeaveDesk at least 14 days in advance for absences longer than three days.")),
            new Run(new TabChar(), new Text("Your manager approves or declines within 5 working days.")),
            new Run(new Break(), new Text("Summer leave (three consecutive weeks between June and August) must be requested before 1 March.")));

        yield return Styled("Heading1", "3. Other leave");
        yield return Styled("PolicySubheading", "3.1 Parental leave");
        yield return Para("Each parent receives 16 weeks of parental leave at full pay, which can be split into periods of "
            + "at least two weeks until the child turns three. Tell HR at least 8 weeks before the leave starts.");

        // A heading marked only by its outline level, the way documents converted from other tools look.
        yield return new Paragraph(new ParagraphProperties(new OutlineLevel { Val = 1 }), new Run(new Text("3.2 Bereavement leave")));
        yield return Para("After the death of a close family member you may take 5 paid days of bereavement leave; for other "
            + "relatives, 2 paid days. Tell your manager as soon as you can; no form is needed in advance.");

        yield return Styled("Heading2", "3.3 Sabbatical");
        yield return Para("After 7 years of service you may apply for a sabbatical of up to 3 months of unpaid leave. Apply "
            + "at least 6 months ahead; the sabbatical committee decides within one month.");

        yield return Styled("Heading1", "4. Contacts");
        yield return new Paragraph(
            new Run(new Text("Questions about this policy go to Priya Raman, HR Business Partner, ") { Space = SpaceProcessingModeValues.Preserve }),
            new DeletedRun(new Run(new DeletedText("DELETED-CANARY extension 4380, "))) { Id = "1", Author = "HR" },
            new Run(new Text("extension 4471, e-mail ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }),
            new Run(new FieldCode(" HYPERLINK \"mailto:hr-leave@nordlys.example\" FIELDCODE-CANARY ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
            new Run(new Text("hr-leave@nordlys.example")),
            new Run(new FieldChar { FieldCharType = FieldCharValues.End }),
            new Run(new Text(".")));
    }

    private static Style ParagraphStyle(string id, string name, string? basedOn = null)
    {
        var style = new Style(new StyleName { Val = name }) { Type = StyleValues.Paragraph, StyleId = id };
        if (basedOn is not null)
        {
            style.Append(new BasedOn { Val = basedOn });
        }

        return style;
    }

    private static Paragraph Styled(string styleId, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = styleId }), new Run(new Text(text)));

    private static Paragraph Para(string text) => new(new Run(new Text(text)));

    private static TableRow Row(params string[] cells) =>
        new(cells.Select(cell => new TableCell(Para(cell))));
}
