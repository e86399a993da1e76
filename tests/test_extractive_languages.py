"""core.extractive on documents not in English: no English question over a French answer.

Before this rule a French package manual (texlive-doc's mecaso.pdf) gave instruction pairs such
as "Explain “Introduction” in - mecaso - Package pour les formules en mécanique du solide." with
a French response. The texts below are written for the test in the shape of such manuals.
"""

from fineflow_desktop.core.extractive import SectionInput, explain_nothing, extract_pairs
from fineflow_desktop.core.extractive.documents import document_title
from fineflow_desktop.core.extractive.languages import document_language, own_question
from fineflow_desktop.core.language import guess_language

FR_INTRO = ("Ce package a été créé pour écrire les formules de la mécanique du solide. Il définit des commandes "
            "pour les vecteurs, les torseurs et les dérivées, et il suit les usages des classes préparatoires. "
            "Chaque commande prend comme entrée une expression fournie par l’utilisateur.")
FR_VECTOR = ("La commande \\Vct{} prend comme entrée toute expression fournie par l’utilisateur et y accroche "
             "une flèche. Elle est utilisée pour tous les vecteurs du document, qu’ils soient libres ou liés.")
FR_INSTALL = ("Copiez le fichier mecaso.sty dans un dossier que TeX lit, puis lancez texhash pour que la "
              "distribution le trouve. Le package est alors disponible pour tous les documents.")
DE_TEXT = ("Die Funktion liest die Datei ein und gibt die Anzahl der Zeilen zurück. Wenn die Datei nicht "
           "existiert, wird eine Fehlermeldung ausgegeben, und das Programm endet mit dem Status eins.")
NL_TEXT = ("De functie leest het bestand in en geeft het aantal regels terug. Als het bestand niet bestaat, "
           "wordt er een foutmelding gegeven en stopt het programma met de status een.")

EL_TEXT = ("Η συνάρτηση διαβάζει το αρχείο και επιστρέφει τον αριθμό των γραμμών. Αν το αρχείο δεν υπάρχει, "
           "εμφανίζεται ένα μήνυμα σφάλματος και το πρόγραμμα τερματίζεται με κατάσταση ένα.")
RU_TEXT = ("Функция читает файл и возвращает число строк в нём. Если файла нет, выводится сообщение об ошибке, "
           "и программа завершается с кодом один. Эту функцию можно вызывать для любых текстовых файлов.")
SR_TEXT = ("Функција чита датотеку и враћа број редова. Ако датотека не постоји, исписује се порука о грешци "
           "и програм се завршава са статусом један.")
UK_TEXT = ("Функція читає файл і повертає кількість рядків у ньому. Якщо файлу немає, виводиться повідомлення "
           "про помилку, і програма завершується з кодом один.")
ZH_TEXT = ("该函数读取文件并返回其中的行数。如果文件不存在，程序会输出一条错误信息，并以状态码一退出。"
           "这个函数适用于所有文本文件，无论它们使用哪一种编码，也无论文件有多大。")
EN_TEXT = ("The program reads the file and returns the number of lines in it. When the file does not exist, "
           "it prints an error message and exits with status one, so scripts can test for it.")


def french_manual() -> list[SectionInput]:
    return [
        SectionInput(1, "mecaso.pdf", ["Introduction"], [(1, FR_INTRO)], "- mecaso - Package pour la mécanique"),
        SectionInput(1, "mecaso.pdf", ["Introduction", "Définition d’un vecteur"], [(2, FR_VECTOR)]),
        SectionInput(1, "mecaso.pdf", ["Questions fréquentes", "Comment installer le package ?"], [(3, FR_INSTALL)]),
    ]


def test_french_instructions_are_french_and_name_the_document_without_its_frame():
    pairs = list(extract_pairs(french_manual(), mode="instruction"))
    users = [p.user for p in pairs]
    assert users[0] in ("Donne une vue d’ensemble du document «\u00a0Introduction\u00a0».",
                        "Résume l’introduction du document «\u00a0Introduction\u00a0».")
    assert "«\u00a0Définition d’un vecteur\u00a0»" in users[1] and users[1].startswith(("Explique", "Résume", "Décris"))
    assert users[2] == "Comment installer le package ?"  # the document's own question, as it asks it
    assert not any(u.startswith(("Explain", "Summarize", "Describe", "Give")) for u in users)


def test_french_qa_keeps_only_the_documents_own_questions():
    stats: dict = {}
    pairs = list(extract_pairs(french_manual(), mode="qa", stats=stats))
    assert [(p.user, p.meta["rule"]) for p in pairs] == [("Comment installer le package ?", "question_heading")]
    assert pairs[0].assistant.startswith("Copiez le fichier")
    assert stats["languages"] == {"fr": 3}


def test_nothing_extracted_from_french_says_why_and_offers_the_instruction_mode():
    sections = french_manual()[:2]
    stats: dict = {}
    assert list(extract_pairs(sections, mode="qa", stats=stats)) == []
    why = explain_nothing(stats, "qa")
    assert "the 2 sections are in French" in why and "English questions" in why
    assert "--mode instruction" in why


def test_german_instructions_are_german():
    sections = [SectionInput(7, "zeilen.html", ["Zeilen zählen"], [(1, DE_TEXT)]),
                SectionInput(7, "zeilen.html", ["Zeilen zählen", "Fehlerbehandlung"], [(2, DE_TEXT + " Gut.")])]
    users = [p.user for p in extract_pairs(sections, mode="instruction")]
    assert users[0] in ("Gib einen Überblick über das Dokument „Zeilen zählen“.",
                        "Fasse die Einleitung des Dokuments „Zeilen zählen“ zusammen.")
    assert "„Fehlerbehandlung“" in users[1]


def test_a_language_without_phrasings_gets_no_instruction_and_is_named():
    sections = [SectionInput(3, "grammes.html", ["Μέτρηση γραμμών"], [(1, EL_TEXT)]),
                SectionInput(3, "grammes.html", ["Μέτρηση γραμμών", "Σφάλματα"], [(2, EL_TEXT + " Τέλος.")])]
    stats: dict = {}
    assert list(extract_pairs(sections, mode="instruction", stats=stats)) == []
    why = explain_nothing(stats, "instruction")
    assert "in Greek" in why and "only in English, French, German, Spanish, Italian, Portuguese, Dutch" in why
    assert "--mode qa" not in why and "LLM provider" in why


def test_dutch_instructions_are_dutch():
    sections = [SectionInput(3, "regels.html", ["Regels tellen"], [(1, NL_TEXT)]),
                SectionInput(3, "regels.html", ["Regels tellen", "Fouten"], [(2, NL_TEXT + " Klaar.")])]
    users = [p.user for p in extract_pairs(sections, mode="instruction")]
    assert users[0] in ("Geef een overzicht van het document “Regels tellen”.",
                        "Vat de inleiding van het document “Regels tellen” samen.")
    assert "“Fouten”" in users[1] and users[1].startswith(("Leg", "Vat", "Beschrijf"))


def test_cyrillic_headings_and_words_count_as_words():
    # Before: a word was [A-Za-z]{2,}, so a Russian section had 0 words of prose and its
    # Cyrillic heading named no topic; a Russian manual gave no instruction pair at all.
    sections = [SectionInput(4, "stroki.html", ["Подсчёт строк"], [(1, RU_TEXT)]),
                SectionInput(4, "stroki.html", ["Подсчёт строк", "Ошибки"], [(2, RU_TEXT + " Готово.")])]
    users = [p.user for p in extract_pairs(sections, mode="instruction")]
    assert users[0] in ("Дай общий обзор документа «Подсчёт строк».",
                        "Кратко изложи введение документа «Подсчёт строк».")
    assert "«Ошибки»" in users[1] and "«Подсчёт строк»" in users[1]


def test_chinese_text_is_counted_by_characters():
    sections = [SectionInput(5, "hangshu.html", ["行数统计"], [(1, ZH_TEXT)]),
                SectionInput(5, "hangshu.html", ["行数统计", "错误处理"], [(2, ZH_TEXT + "完毕。")])]
    users = [p.user for p in extract_pairs(sections, mode="instruction")]
    assert users == [users[0], users[1]] and users[0] in ("请概述文档《行数统计》。", "请总结文档《行数统计》的引言。")
    assert "“错误处理”" in users[1] and users[1].startswith("请")


def test_a_paragraph_taken_for_a_heading_names_no_topic():
    long_heading = ("composition of material that contains a lot of mathematical and technical expressions and "
                    "was adopted by many authors and publishers")
    sections = [SectionInput(6, "tex.pdf", ["TeX primer"], [(1, EN_TEXT)]),
                SectionInput(6, "tex.pdf", ["TeX primer", long_heading], [(2, EN_TEXT + " Done.")])]
    users = [p.user for p in extract_pairs(sections, mode="instruction")]
    assert len(users) == 1 and long_heading not in users[0]


def test_chinese_prose_among_latin_command_names_is_chinese():
    # Han characters are compared three to a Latin letter: before, this read as "und" (Han under
    # 30% of the letters), which the extractive generator treats as English: English
    # instructions over Chinese text.
    zh_manual = ("使用 \\usepackage{ctexart} 载入宏包，然后用 \\setCJKmainfont{SimSun} 设置字体。"
                 "编译时请使用 xelatex 或 lualatex，pdflatex 不支持 fontspec 和 OpenType 字体。")
    assert guess_language(zh_manual) == "zh"
    english = EN_TEXT + " The Chinese word for it is 文件."
    assert guess_language(english) == "en"


def test_a_bilingual_manual_is_phrased_in_each_parts_language():
    # Before, the first 4,000 characters decided for the whole document: the German part of an
    # English-first manual got English instructions over German text.
    en_long = " ".join([EN_TEXT] * 3)
    de_long = " ".join([DE_TEXT, DE_TEXT.replace("Datei", "Tabelle"), DE_TEXT.replace("Zeilen", "Spalten")])
    sections = [SectionInput(8, "manual.pdf", ["Line counter"], [(1, en_long)]),
                SectionInput(8, "manual.pdf", ["Line counter", "Usage"], [(2, en_long + " Done.")]),
                SectionInput(8, "manual.pdf", ["Line counter", "Deutsche Anleitung"], [(3, de_long)]),
                SectionInput(8, "manual.pdf", ["Line counter", "Kurz"], [(4, DE_TEXT)])]
    stats: dict = {}
    users = [p.user for p in extract_pairs(sections, mode="instruction", stats=stats)]
    assert "“Usage”" in users[1] and users[1].startswith(("Explain", "Summarize", "Describe"))
    assert "„Deutsche Anleitung“" in users[2] and users[2].startswith(("Erkläre", "Fasse", "Beschreibe"))
    # a section too short to tell (under 400 letters) takes its document's language
    assert "“Kurz”" in users[3]
    assert stats["languages"] == {"de": 1}


def test_cyrillic_languages_by_their_own_letters():
    assert guess_language(RU_TEXT) == "ru"
    assert guess_language(SR_TEXT) == "sr"
    assert guess_language(UK_TEXT) == "uk"
    # one Ukrainian word quoted in Russian prose does not make it Ukrainian
    assert guess_language(RU_TEXT + " (по-украински «їжак»)") == "ru"


def test_english_documents_are_phrased_as_before():
    text = ("The function reads the file and returns the number of lines in it. When the file does not exist "
            "an error is printed and the program exits with status one.")
    sections = [SectionInput(2, "count.html", ["Counting lines"], [(1, text)]),
                SectionInput(2, "count.html", ["Counting lines", "Errors"], [(2, text + " Done.")])]
    users = [p.user for p in extract_pairs(sections, mode="instruction")]
    assert users[1] in ("Explain “Errors” in Counting lines.", "Summarize the section “Errors” of Counting lines.",
                        "Describe what Counting lines says about “Errors”.")


def test_a_reference_page_of_identifiers_is_english_whatever_its_function_words():
    # libgtk-3-doc's GtkFileChooser.html starts with its symbol index: guess_language reads the "do"
    # of "do-overwrite-confirmation" as Portuguese; 2 hits in ~70 words are no Portuguese prose.
    index = ("gtk_file_chooser_set_do_overwrite_confirmation ()\ngtk_file_chooser_get_do_overwrite_confirmation ()\n"
             "gtk_file_chooser_set_current_name ()\ngtk_file_chooser_get_filename ()\n"
             "“do-overwrite-confirmation” gboolean Read / Write\n“action” GtkFileChooserAction Read / Write\n"
             "“create-folders” gboolean Read / Write\n“extra-widget” GtkWidget * Read / Write\n"
             "gtk_file_chooser_add_filter ()\ngtk_file_chooser_remove_filter ()\ngtk_file_chooser_list_filters ()\n")
    assert guess_language(index) == "pt"
    assert document_language([index]) == "en"


def test_haskell_signatures_are_english_whatever_their_type_variables():
    # ghc-doc's Data.IntMap page: the type variable "a" of every signature is Portuguese "a" to a
    # stop-word count; one-letter words are left out of the document's decision.
    api = "\n\n".join(f"{name} :: Key -> a -> IntMap a -> IntMap a\nO(min(n,W)). {what} a key in the map."
                       for name, what in [("insert", "Insert"), ("delete", "Delete"), ("adjust", "Adjust"),
                                          ("alter", "Alter"), ("update", "Update")] * 3)
    assert guess_language(api) == "pt"
    assert document_language([api]) == "en"


def test_document_language_and_own_question():
    assert document_language([FR_INTRO, FR_VECTOR]) == "fr"
    assert document_language(["x = 1", "y = 2"]) == "en"  # undetermined (code): English, as before
    assert own_question("Comment installer le package ?", ["FAQ", "Comment installer le package ?"], "")
    assert not own_question("What is mecaso?", ["Introduction"], FR_INTRO)


def test_a_title_framed_by_separators_loses_its_frame():
    section = SectionInput(1, "x.pdf", [], [(1, FR_INTRO)], "- Guide de l’utilisateur -")
    assert document_title(section) == "Guide de l’utilisateur"
    assert document_title(SectionInput(1, "b.html", ["Purpose:"], [(1, "x")])) == "Purpose"
    # a C++ operator's page (Boost) keeps its name
    assert document_title(SectionInput(1, "b.html", ["Function operator-"], [(1, "x")])) == "Function operator-"


def test_identifiers_and_code_blocks_are_no_language():
    # Boost's synopsis pages: "non_coherent_tail_mean" holds Italian "non", "unary_plus" French "plus"
    page = ("```\ntemplate<typename Sample> struct non_coherent_tail_mean : depends_on<count> {\n};\n```\n\n"
            + " ".join(f"non_coherent_tail_mean_{i} unary_plus_{i} la_{i} de_{i}" for i in range(40)))
    assert document_language([page]) == "en"


def test_addresses_are_no_language():
    # google-auth's CONTRIBUTORS.md: "gmail.com" holds Portuguese "com" 86 times in 483 words
    names = "\n".join(f"* {a} {b} <{a.lower()}.{b.lower()}@gmail.com>" for a, b in
                      [("Adam", "Chainz"), ("Ben", "Demaree"), ("Bill", "Prin"), ("Dan", "Ring"), ("Eric", "Koleda"),
                       ("Guido", "Rossi"), ("Jon", "Parrott"), ("Joe", "Gregorio")] * 4)
    text = "# Contributors\n\nThis list is generated from git commit authors.\n\n" + names
    assert guess_language(text) == "pt"
    assert document_language([text]) == "en"
