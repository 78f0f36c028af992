using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Exchange.Api.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RecordPartnerLicences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PendingLicences",
                table: "forwarded_applications",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PendingLicences",
                table: "forwarded_applications");
        }
    }
}
