-- Every provincial indicator's classification (open / internal / secret): db.py hides what the reader may not see.
SELECT indicator_code, classification FROM dim_indicator
