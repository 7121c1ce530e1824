DROP TABLE child_codes;
