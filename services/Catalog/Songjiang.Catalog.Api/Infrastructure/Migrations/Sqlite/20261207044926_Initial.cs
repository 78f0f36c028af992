using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Catalog.Api.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bundles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    IsCurrent = table.Column<bool>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: false),
                    MatterCodes = table.Column<string>(type: "TEXT", nullable: false),
                    FormSchema = table.Column<string>(type: "TEXT", nullable: false),
                    PromisedLimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bundles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "matters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    IsCurrent = table.Column<bool>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LegalBasis = table.Column<string>(type: "TEXT", nullable: false),
                    StatutoryLimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    PromisedLimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    HandlingModes = table.Column<string>(type: "TEXT", nullable: false),
                    VisitsRequired = table.Column<int>(type: "INTEGER", nullable: false),
                    CrossProvince = table.Column<bool>(type: "INTEGER", nullable: false),
                    PartnerCities = table.Column<string>(type: "TEXT", nullable: false),
                    ParallelReview = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReviewDepartments = table.Column<string>(type: "TEXT", nullable: false),
                    FormSchema = table.Column<string>(type: "TEXT", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", nullable: true),
                    WorkflowDefinition = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ChangeNote = table.Column<string>(type: "TEXT", nullable: true),
                    Materials = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_matters", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_bundles_Code_Version",
                table: "bundles",
                columns: new[] { "Code", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_matters_Code_Version",
                table: "matters",
                columns: new[] { "Code", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_matters_IsCurrent_Department",
                table: "matters",
                columns: new[] { "IsCurrent", "Department" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bundles");

            migrationBuilder.DropTable(
                name: "matters");
        }
    }
}
